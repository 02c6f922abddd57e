package main

import (
	"os"
	"testing"
)

// cacheDir is the compilation cache the tests of every verb share.
var cacheDir string

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "runner-cache-")
	if err != nil {
		panic(err)
	}
	cacheDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}
