package milvus

import (
	"context"
	"errors"
	"testing"
)

func TestAddTo(t *testing.T) {
	cases := []struct {
		o    callOpts
		in   string
		mine bool
		want string
	}{
		{callOpts{}, `{"a":1}`, false, `{"a":1}`},
		{callOpts{timeout: 1.5}, `{"a":1}`, false, `{"timeout":1.5,"a":1}`},
		{callOpts{timeout: 2, callID: "go-1"}, ` { } `, false, `{"timeout":2,"call_id":"go-1" } `},
		{callOpts{callID: "go-2"}, `{}`, false, `{"call_id":"go-2"}`},
		{callOpts{timeout: 2, callID: "x"}, `{"timeout": 9, "b": 2}`, true, `{"call_id":"x","timeout": 9, "b": 2}`},
		{callOpts{timeout: 2}, `{"timeout": 9}`, true, `{"timeout": 9}`},
		{callOpts{timeout: 2}, `[1]`, true, `[1]`},
		{callOpts{timeout: 2}, `{"a":`, true, `{"a":`},
	}
	for _, c := range cases {
		if got := string(c.o.addTo([]byte(c.in), c.mine)); got != c.want {
			t.Errorf("%+v.addTo(%s) = %s, want %s", c.o, c.in, got, c.want)
		}
	}
}

func TestErrorHelpers(t *testing.T) {
	e := ctxError(context.DeadlineExceeded)
	var me *Error
	if !errors.As(error(e), &me) || me.Status != StatusTimeout || !errors.Is(e, context.DeadlineExceeded) {
		t.Fatalf("%+v", e)
	}
	if !IsCancelled(ctxError(context.Canceled)) || IsTimeout(ctxError(context.Canceled)) {
		t.Fatal("cancelled")
	}
	if StatusOf(errors.New("x")) != StatusInternal || StatusOf(nil) != StatusOK {
		t.Fatal("StatusOf")
	}
	if (&Error{Status: StatusServer, Message: "m"}).Error() != "milvus: MILVUS_ERR_SERVER: m" {
		t.Fatal((&Error{Status: StatusServer, Message: "m"}).Error())
	}
}
