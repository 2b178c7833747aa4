package lint

import (
	"bytes"
	"testing"
)

// The blobs a run keeps are copies, up to keepMax bytes in all.
func TestKept(t *testing.T) {
	var k kept
	data := []byte("image: x\n")
	k.put("a.yaml", data)
	data[0] = 'X' // the reader's own copy
	got, ok := k.get("a.yaml")
	if !ok || string(got) != "image: x\n" {
		t.Fatalf("get = %q, %v", got, ok)
	}
	got[0] = 'Y'
	if again, _ := k.get("a.yaml"); string(again) != "image: x\n" {
		t.Errorf("a caller's change reached the next reader: %q", again)
	}
	k.put("big", bytes.Repeat([]byte("x"), keepMax))
	if _, ok := k.get("big"); ok {
		t.Error("kept a blob over the budget")
	}
	if _, ok := k.get("other"); ok {
		t.Error("found a blob never read")
	}
}
