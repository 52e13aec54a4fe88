package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"
)

// screenshotDocuments captures "documents": the Documents area with the
// demo employee's documents.
func screenshotDocuments(main *mainScreen, capture func(string) error, wait func(string, func() bool) error) error {
	if main.documents == nil {
		return errors.New("the demo account has no Documents area")
	}
	main.nav.Select(main.areaIndex(lang.L("Documents")))
	s := main.documents
	if err := wait("the documents", func() bool { return s.loaded || s.message.message() != "" }); err != nil {
		return err
	}
	if !s.loaded {
		return errors.New("the documents did not load: " + s.message.message())
	}
	return capture("documents")
}
