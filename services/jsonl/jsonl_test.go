package jsonl

import (
	"errors"
	"strings"
	"testing"
)

type rec struct {
	ID string `json:"id"`
}

func TestEach(t *testing.T) {
	var ids []string
	var lines []int
	err := Each(strings.NewReader("{\"id\":\"a\"}\n\n  \n{\"id\":\"b\"}\n"), func(line int, r *rec) error {
		ids, lines = append(ids, r.ID), append(lines, line)
		return nil
	})
	if err != nil || strings.Join(ids, ",") != "a,b" || lines[1] != 4 {
		t.Fatalf("ids %v lines %v err %v", ids, lines, err)
	}
	err = Each(strings.NewReader("{\"id\":\"a\"}\n{\"id\": \"张三 138"), func(int, *rec) error { return nil })
	if err == nil || err.Error() != "line 2: not a valid jsonl.rec record" {
		t.Fatalf("err = %v", err)
	}
	stop := errors.New("stop")
	if err := Each(strings.NewReader("{}\n{}\n"), func(int, *rec) error { return stop }); err != stop {
		t.Fatalf("err = %v", err)
	}
}
