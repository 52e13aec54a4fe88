package main

import (
	"slices"
	"testing"

	"selfservice/resources"
	"selfservice/server"
)

// An organisation that lists no languages offers those the app is
// translated into: the server's list is the app's translation files.
func TestServerOffersTheAppsLanguages(t *testing.T) {
	if err := resources.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	shipped := resources.Translated()
	offered := slices.Clone(server.DefaultLanguages)
	slices.Sort(shipped)
	slices.Sort(offered)
	if !slices.Equal(offered, shipped) {
		t.Errorf("server.DefaultLanguages %v; the app is translated into %v", offered, shipped)
	}
}
