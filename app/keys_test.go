package app_test

import (
	"context"
	"errors"
	"testing"

	"selfservice/app"
	"selfservice/hw"
)

func TestKeysListsAndOpensEveryProvider(t *testing.T) {
	virtual, err := hw.NewSoftware(hw.SoftwareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	keys := app.NewKeys(hw.Libfido2{}, virtual) // no real key can be attached here

	devices, err := keys.Devices(ctx)
	if err != nil || len(devices) != 1 || devices[0].Path != hw.SoftwarePath {
		t.Fatalf("Devices = %v, %v; want only the virtual key", devices, err)
	}
	a, err := keys.Open(hw.SoftwarePath)
	if err != nil {
		t.Fatalf("Open(virtual): %v", err)
	}
	if _, err := a.Info(ctx); err != nil {
		t.Errorf("Info of the opened key: %v", err)
	}
	if _, err := keys.Open("/dev/hidraw-none"); !errors.Is(err, hw.ErrNoDevice) {
		t.Errorf("Open(unknown) error = %v; want ErrNoDevice", err)
	}
}

func TestKeysWithoutAnyKey(t *testing.T) {
	keys := app.NewKeys(hw.Libfido2{})
	devices, err := keys.Devices(context.Background())
	if err != nil || len(devices) != 0 {
		t.Fatalf("Devices = %v, %v; want an empty list and no error", devices, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var events []hw.EventKind
	_, err = keys.WaitForKey(ctx, func(e hw.Event) {
		events = append(events, e.Kind)
		cancel() // the user gives up instead of inserting a key
	})
	if !errors.Is(err, hw.ErrCancelled) && !errors.Is(err, context.Canceled) {
		t.Errorf("WaitForKey error = %v; want cancelled", err)
	}
	if len(events) != 1 || events[0] != hw.InsertKey {
		t.Errorf("events = %v; want one InsertKey", events)
	}
}
