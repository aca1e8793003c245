package goldmarkup

import (
	"reflect"
	"testing"
)

func TestBlocksAndStrip(t *testing.T) {
	src := "# a comment\n## n1|p1|2023-01-02\n患者[[NAME|张三]]，𠮷[[x|y|z]]\n# skipped\n\n## n2\nno marks\n"
	bs := Blocks(src)
	if len(bs) != 2 || bs[0].Header != "n1|p1|2023-01-02" || bs[0].Body != "患者[[NAME|张三]]，𠮷[[x|y|z]]" || bs[1].Body != "no marks" {
		t.Fatalf("blocks %+v", bs)
	}
	plain, marks, err := Strip(bs[0].Body, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []Mark{{Fields: []string{"NAME", "张三"}, Start: 2, End: 4, Raw: "[[NAME|张三]]"}, {Fields: []string{"x", "y", "z"}, Start: 6, End: 7, Raw: "[[x|y|z]]"}}
	if plain != "患者张三，𠮷y" || !reflect.DeepEqual(marks, want) {
		t.Fatalf("Strip = %q %+v", plain, marks)
	}
	for _, bad := range []string{"a[[NAME|b", "a[[NAME]]"} {
		if _, _, err := Strip(bad, 1); err == nil {
			t.Errorf("Strip(%q) accepted", bad)
		}
	}
}
