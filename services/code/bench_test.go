package code

import (
	"context"
	"testing"
	"unicode/utf8"

	"bingli/models/icd10"
	"bingli/services/note"
)

// benchNote is a ~500-character ophthalmology admission note.
const benchNote = "主诉：双眼视物模糊2年，右眼加重伴眼胀3月。\n" +
	"现病史：患者2年前无明显诱因出现双眼视物模糊，呈渐进性加重，无眼红眼痛，无视物变形。3月前右眼视力明显下降，伴眼胀、头痛，" +
	"曾于当地医院就诊，考虑原发性开角型青光眼可能，予噻吗洛尔滴眼液点右眼，症状稍缓解。今为进一步诊治来我院。\n" +
	"既往史：有2型糖尿病病史10年，口服二甲双胍，血糖控制尚可；有高血压病史8年，口服氨氯地平片；否认冠心病、肝炎、结核等病史；否认外伤史及手术史；否认药物过敏史。\n" +
	"家族史：母亲患青光眼，否认其他遗传病家族史。\n" +
	"专科检查：视力：右眼0.3，左眼0.6；眼压：右眼28mmHg，左眼18mmHg。双眼角膜透明，前房深度正常，晶状体皮质混浊。眼底：右眼C/D 0.8，左眼C/D 0.5，视网膜可见散在微血管瘤及出血点。\n" +
	"辅助检查：OCT示右眼视网膜神经纤维层变薄。\n" +
	"初步诊断：1.右眼原发性开角型青光眼 2.双眼年龄相关性白内障 3.双眼非增殖性糖尿病视网膜病变 4.2型糖尿病 5.高血压\n" +
	"处理：1.完善视野检查 2.降眼压治疗 3.择期行右眼抗青光眼手术。\n医师：某某"

func BenchmarkProcess(b *testing.B) {
	c := newCoder(b)
	b.ReportMetric(float64(utf8.RuneCountInString(benchNote)), "chars/note")
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := note.Note{NoteID: "b", Text: benchNote}
		if err := c.Process(ctx, &n); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
}

// BenchmarkRetrieve measures one n-gram retrieval over the ~85k lexicon keys.
func BenchmarkRetrieve(b *testing.B) {
	c := newCoder(b)
	for i := 0; i < b.N; i++ {
		c.retrieve(fold("左眼黄斑区旋涡样色素紊乱"))
	}
}

// freeFormNote has a diagnosis list whose items are no dictionary names, so
// every item goes through the re-ranker (written for this benchmark).
const freeFormNote = "主诉：右眼视物模糊半年。\n" +
	"出院诊断：1.右肺上叶腺癌术后化疗后伴骨转移 2.2型糖尿病周围神经病变 3.高血压3级极高危 4.双眼老年性白内障 5.左膝退变伴游离体 6.慢性胃炎伴糜烂\n" +
	"处理：随访。"

// BenchmarkProcessFreeForm measures a note whose six diagnoses all need
// the learned re-ranker.
// The retrieval sub-benchmark is the version 1.0 path (Options.NoReranker).
func BenchmarkProcessFreeForm(b *testing.B) {
	for _, bc := range []struct {
		name string
		opt  Options
	}{{"reranker", Options{}}, {"reranker-no-crossenc", Options{NoCrossEncoder: true}}, {"retrieval", Options{NoReranker: true}}} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := New(bc.opt)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				n := note.Note{NoteID: "b", Text: freeFormNote}
				if err := c.Process(ctx, &n); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notes/s")
		})
	}
}

// BenchmarkRerankItem measures coding one free-form diagnosis string with
// the re-ranker, without the memo (the cost of a string not seen before),
// with and without the cross-encoder; the items are those of freeFormNote.
func BenchmarkRerankItem(b *testing.B) {
	items := []string{"右肺上叶腺癌术后化疗后伴骨转移", "2型糖尿病周围神经病变", "高血压3级极高危", "双眼老年性白内障", "左膝退变伴游离体", "慢性胃炎伴糜烂"}
	for _, bc := range []struct {
		name string
		opt  Options
	}{{"crossenc", Options{}}, {"no-crossenc", Options{NoCrossEncoder: true}}} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := New(bc.opt)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rs := []rune(items[i%len(items)])
				c.rerankSpanUncached(rs, 0, len(rs))
			}
		})
	}
}

// BenchmarkLoad measures parsing the dictionary, building the index and
// decoding the re-ranker (once per process in production).
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := LoadReranker(icd10.CDNReranker, icd10.CDNRerankerSHA256); err != nil {
			b.Fatal(err)
		}
	}
}
