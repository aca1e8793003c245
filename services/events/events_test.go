package events

import (
	"context"
	"reflect"
	"testing"

	"bingli/services/note"
)

func TestNoMeasurementOnNonMeasures(t *testing.T) {
	s := New()
	for _, text := range []string{
		"2023-03-05 复查，2023.3.5 门诊，2023年3月5日入院，3/5 复诊。",
		"视力下降3个月，视力模糊2年，视力减退1周。",
		"视力检查于10:30完成，眼压复查于3天后。",
		"予雷珠单抗0.5mg玻璃体腔注射，阿托品0.01%滴眼液 每晚一次。",
		"患者〔姓名〕，男，65岁，〔电话〕，住院号〔病案号〕。",
		"眼压控制在21mmHg以下为目标。",
		"口服维生素B12 0.5mg tid，甲钴胺 0.5mg tid。",
		"血糖控制可，血压控制可。",
		"植入+21.5D人工晶体一枚，角膜曲率 K1 43.25D。",
		"视力：右眼矫正不提高。",
		"R 18次/分，P 80次/分。",
		"术后3d复查，视野 MD -5.2dB。",
	} {
		ms, _, _ := s.Extract(text)
		if len(ms) != 0 {
			t.Errorf("%q: got %d measurements, first %q %s", text, len(ms), ms[0].Text, ms[0].Kind)
		}
	}
}

func TestMeasurementForms(t *testing.T) {
	s := New()
	type want struct {
		text, kind string
		value      float64
		eye        note.Eye
	}
	for _, tc := range []struct {
		text string
		want []want
	}{
		{"视力：右眼0.5，左眼0.8", []want{{"0.5", KindVA, 0.5, note.EyeRight}, {"0.8", KindVA, 0.8, note.EyeLeft}}},
		{"VOD 0.5 VOS 0.8", []want{{"0.5", KindVA, 0.5, note.EyeRight}, {"0.8", KindVA, 0.8, note.EyeLeft}}},
		{"眼压 R 18 L 21 mmHg", []want{{"18", KindIOP, 18, note.EyeRight}, {"21 mmHg", KindIOP, 21, note.EyeLeft}}},
		{"眼压：右18 左21mmHg", []want{{"18", KindIOP, 18, note.EyeRight}, {"21mmHg", KindIOP, 21, note.EyeLeft}}},
		{"双眼眼压均为15mmHg", []want{{"15mmHg", KindIOP, 15, note.EyeBoth}}},
		{"视力 4.7", []want{{"4.7", KindVA, 0.5, note.EyeNone}}},
		{"BCVA logMAR 0.3", []want{{"0.3", KindBCVA, 0.5, note.EyeNone}}},
		{"视力 20/40", []want{{"20/40", KindVA, 0.5, note.EyeNone}}},
		{"视力 6/12", []want{{"6/12", KindVA, 0.5, note.EyeNone}}},
		{"右眼视力指数/30cm", []want{{"指数/30cm", KindVA, AcuityCF, note.EyeRight}}},
		{"左眼视力手动", []want{{"手动", KindVA, AcuityHM, note.EyeLeft}}},
		{"视力：右眼无光感", []want{{"无光感", KindVA, AcuityNLP, note.EyeRight}}},
		{"最佳矫正视力 OD 1.0", []want{{"1.0", KindBCVA, 1, note.EyeRight}}},
		{"眼轴 AL 24.36mm", []want{{"24.36mm", KindAxial, 24.36, note.EyeNone}}},
		{"验光 -3.50DS/-0.75DC×180", []want{{"-3.50DS", KindSphere, -3.5, note.EyeNone}, {"-0.75DC", KindCylinder, -0.75, note.EyeNone}}},
		{"C/D 0.6", []want{{"0.6", KindCupDisc, 0.6, note.EyeNone}}},
		{"黄斑中心凹厚度 320μm", []want{{"320μm", KindCMT, 320, note.EyeNone}}},
		{"糖化血红蛋白 7.5%", []want{{"7.5%", KindHbA1c, 7.5, note.EyeNone}}},
		{"泪液分泌试验 5mm/5min", []want{{"5mm/5min", KindSchirmer, 5, note.EyeNone}}},
		{"TBUT 6s", []want{{"6s", KindTBUT, 6, note.EyeNone}}},
		{"空腹血糖 7.2mmol/L", []want{{"7.2mmol/L", KindOther, 7.2, note.EyeNone}}},
		{"血压 130/80mmHg", []want{{"130", KindOther, 130, note.EyeNone}, {"80mmHg", KindOther, 80, note.EyeNone}}},
		{"ＯＤ：眼压１８ｍｍＨｇ", []want{{"１８ｍｍＨｇ", KindIOP, 18, note.EyeRight}}},
	} {
		ms, _, _ := s.Extract(tc.text)
		var got []want
		for _, m := range ms {
			got = append(got, want{m.Text, m.Kind, *m.Value, m.Eye})
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q:\n got %v\nwant %v", tc.text, got, tc.want)
		}
	}
	ms, _, _ := s.Extract("验光 -3.50DS/-0.75DC×180")
	if len(ms) == 2 && ms[1].Name != "axis=180" {
		t.Errorf("cylinder axis: Name %q, want axis=180", ms[1].Name)
	}
	ms, _, _ = s.Extract("血压 130/80mmHg")
	if len(ms) == 2 && (ms[0].Name != "收缩压" || ms[1].Name != "舒张压" || ms[1].Unit != "mmHg") {
		t.Errorf("blood pressure names/units: %+v", ms)
	}
}

func TestProcedures(t *testing.T) {
	s := New()
	for _, tc := range []struct {
		text string
		want note.Procedure
	}{
		{"2023-03-05 行右眼超声乳化白内障吸除联合人工晶体植入术，术后恢复可。",
			note.Procedure{Text: "超声乳化白内障吸除联合人工晶体植入术", Eye: note.EyeRight, Date: "2023-03-05"}},
		{"于2023年6月8日行左眼小梁切除术。", note.Procedure{Text: "小梁切除术", Eye: note.EyeLeft, Date: "2023-06-08"}},
		{"右眼玻璃体腔注射雷珠单抗0.5mg，1个月后复查。", note.Procedure{Text: "玻璃体腔注射雷珠单抗", Eye: note.EyeRight}},
		{"双眼全视网膜光凝治疗", note.Procedure{Text: "全视网膜光凝治疗", Eye: note.EyeBoth}},
		{"左眼SLT术后1周", note.Procedure{Text: "SLT术", Eye: note.EyeLeft}},
		{"右眼白内障超声乳化吸除术后", note.Procedure{Text: "白内障超声乳化吸除术", Eye: note.EyeRight}},
	} {
		_, ps, _ := s.Extract(tc.text)
		if len(ps) == 0 {
			t.Errorf("%q: no procedure", tc.text)
			continue
		}
		p := ps[0]
		if p.Text != tc.want.Text || p.Eye != tc.want.Eye || p.Date != tc.want.Date {
			t.Errorf("%q: got %q eye %q date %q, want %q eye %q date %q", tc.text, p.Text, p.Eye, p.Date, tc.want.Text, tc.want.Eye, tc.want.Date)
		}
	}
	if _, ps, _ := s.Extract("否认手术史，否认外伤史。"); len(ps) != 0 {
		t.Errorf("procedures in a negative history: %+v", ps)
	}
}

func TestMedications(t *testing.T) {
	s := New()
	for _, tc := range []struct {
		text string
		want note.Medication
	}{
		{"曲伏前列素滴眼液 每晚一次 双眼", note.Medication{Text: "曲伏前列素滴眼液", Eye: note.EyeBoth, Frequency: "每晚一次"}},
		{"左氧氟沙星滴眼液 qid 右眼", note.Medication{Text: "左氧氟沙星滴眼液", Eye: note.EyeRight, Frequency: "qid"}},
		{"玻璃酸钠滴眼液 4次/日", note.Medication{Text: "玻璃酸钠滴眼液", Frequency: "4次/日"}},
		{"二甲双胍 0.5g bid 口服", note.Medication{Text: "二甲双胍", Dose: "0.5g", Frequency: "bid", Route: "口服"}},
		{"左眼阿托品眼用凝胶 每晚1次", note.Medication{Text: "阿托品眼用凝胶", Eye: note.EyeLeft, Frequency: "每晚1次"}},
		{"甘露醇250ml静滴", note.Medication{Text: "甘露醇", Dose: "250ml", Route: "静脉滴注"}},
	} {
		_, _, ms := s.Extract(tc.text)
		if len(ms) == 0 {
			t.Errorf("%q: no medication", tc.text)
			continue
		}
		m := ms[0]
		m.Start, m.End = 0, 0
		if m != tc.want {
			t.Errorf("%q:\n got %+v\nwant %+v", tc.text, m, tc.want)
		}
	}
}

func TestProcessReplacesLayers(t *testing.T) {
	s := New()
	n := &note.Note{NoteID: "n1", Text: "视力：右眼0.5。予左氧氟沙星滴眼液 qid 右眼。2023-01-02行右眼小梁切除术。"}
	if err := s.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	first := *n
	if err := s.Process(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first.Measurements, n.Measurements) || len(n.Procedures) != 1 || len(n.Medications) != 1 || len(n.Measurements) != 1 {
		t.Errorf("redelivery changed the layers or they are wrong: %+v", n)
	}
	if len(n.Provenance) != 0 {
		t.Error("Process must not record provenance (the runner does)")
	}
	if err := n.Validate(); err != nil {
		t.Error(err)
	}
	if s.Name() != "events" || s.Version() == "" {
		t.Error("name/version")
	}
}
