package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"selfservice/api"
	"selfservice/app"
)

// requestDetail shows everything about an approval request: the exact
// action and its parameters, who asked, who decides and how they
// decided, and its history.
func requestDetail(r api.ApprovalRequest, d dates, now time.Time) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(requestTitle(r), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	top := container.NewBorder(nil, nil, nil, container.NewCenter(newBadge(requestStatusName(r), requestStatusColor(r))), title)

	facts := []string{
		lang.L("Requested by"), personFullName(r.Requester),
		lang.L("Requested"), d.when(r.CreatedAt, now),
		lang.L("Approvals"), lang.L("{{.Count}} of {{.Required}} needed", map[string]any{"Count": r.Approvals(), "Required": r.Required}),
	}
	switch {
	case r.AwaitsRequester():
		facts = append(facts, lang.L("Finish by"), d.dateTime(r.ExpiresAt))
	case r.Status == api.RequestInApproval:
		facts = append(facts, lang.L("Decide by"), d.dateTime(r.ExpiresAt))
	}
	if r.ExecutedAt != nil {
		facts = append(facts, lang.L("Carried out"), d.when(*r.ExecutedAt, now))
	}

	box := container.NewVBox(top, factGrid(facts))
	if params := requestParameters(r); len(params) > 0 {
		box.Add(sectionTitle(lang.L("Exactly what runs")))
		box.Add(factGrid(params))
	}
	box.Add(sectionTitle(lang.L("Approvers")))
	box.Add(approverList(r))
	box.Add(sectionTitle(lang.L("History")))
	box.Add(historyList(r, d, now))
	return box
}

// requestParameters lists a request's parameters as name, value pairs,
// sorted by name, with the operation first.
func requestParameters(r api.ApprovalRequest) []string {
	out := []string{lang.L("Action"), operationName(r.Operation)}
	keys := make([]string, 0, len(r.Parameters))
	for k := range r.Parameters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !hiddenParameter(k) {
			out = append(out, parameterName(k), parameterValue(r, k))
		}
	}
	return out
}

// approverList shows each approver with their decision and comment.
func approverList(r api.ApprovalRequest) fyne.CanvasObject {
	box := container.NewVBox()
	for _, p := range r.Approvers {
		decision := app.DecisionOf(r, p.ID)
		name := widget.NewLabel(personName(p))
		row := container.NewBorder(nil, nil, nil, container.NewCenter(newBadge(decisionName(decision), decisionColor(decision))), name)
		box.Add(row)
		for _, d := range r.Decisions {
			if d.Approver.ID == p.ID && d.Comment != "" {
				box.Add(quote(d.Comment))
			}
		}
	}
	if len(r.Approvers) == 0 {
		box.Add(muted(lang.L("No approvers are named.")))
	}
	return box
}

// historyList shows a request's events, oldest first.
func historyList(r api.ApprovalRequest, d dates, now time.Time) fyne.CanvasObject {
	box := container.NewVBox()
	for _, h := range r.History {
		who := lang.L("Selfservice")
		if h.Actor != nil {
			who = personName(*h.Actor)
		}
		line := lang.L("{{.Event}} by {{.Who}}", map[string]any{"Event": eventName(h.Event), "Who": who})
		row := container.NewBorder(nil, nil, nil, hint(d.when(h.At, now)), widget.NewLabel(line))
		box.Add(row)
		if h.Comment != "" {
			box.Add(quote(h.Comment))
		}
	}
	return box
}

// factGrid lays out name, value pairs in two columns.
func factGrid(pairs []string) fyne.CanvasObject {
	grid := container.New(layout.NewFormLayout())
	for i := 0; i+1 < len(pairs); i += 2 {
		name := widget.NewLabelWithStyle(pairs[i], fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		value := widget.NewLabel(pairs[i+1])
		value.Wrapping = fyne.TextWrapWord
		grid.Add(name)
		grid.Add(value)
	}
	return grid
}

// sectionTitle heads a part of a detail view.
func sectionTitle(text string) fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
}

// quote is someone's comment, set off from the text around it.
func quote(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle("“"+text+"”", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	l.Wrapping = fyne.TextWrapWord
	return container.NewPadded(l)
}
