package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// navItem is one entry of the main window's navigation: the area's icon
// and name, and its badge when it has one.
type navItem struct {
	widget.BaseWidget
	icon  *widget.Icon
	name  *widget.Label
	count *badge
}

func newNavItem() *navItem {
	n := &navItem{
		icon:  widget.NewIcon(theme.InfoIcon()),
		name:  widget.NewLabel(""),
		count: newBadge("", theme.ColorNamePrimary),
	}
	n.name.Truncation = fyne.TextTruncateEllipsis
	n.count.Hide()
	n.ExtendBaseWidget(n)
	return n
}

// set shows area a.
func (n *navItem) set(a area) {
	n.icon.SetResource(a.icon)
	n.name.SetText(a.name)
	n.count.Text = a.badge
	if a.badge == "" {
		n.count.Hide()
	} else {
		n.count.Show()
	}
	n.count.Refresh()
	n.Refresh()
}

func (n *navItem) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, n.icon, container.NewCenter(n.count), n.name))
}
