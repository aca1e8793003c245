package report

const pageHTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>bingli follow-up timelines</title>
<style>
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px} .p{background:#fff;border:1px solid #ddd;border-radius:6px;margin:16px 0;padding:12px 16px}
.p h2{font-size:15px;margin:0 0 6px} .meta{color:#666;font-size:13px} .charts{display:flex;flex-wrap:wrap;gap:12px;margin-top:8px}
.c{border:1px solid #eee;border-radius:4px;padding:4px} .c h3{font-size:12px;margin:2px 4px;font-weight:normal;color:#444}
ul{margin:4px 0 0 18px;padding:0;font-size:13px} .neg{color:#999;text-decoration:line-through} .legend span{margin-right:10px;font-size:12px}
</style></head><body>
<h1>随访时间线 · follow-up timelines ({{.Total}} patients, longest follow-up first)</h1>
<p class="meta">De-identified: patient ids are pseudonyms and dates are shifted per patient (intervals are true).</p>
{{range .Patients}}<div class="p">
<h2>{{.T.PatientID}}</h2>
<div class="meta">{{len .T.Visits}} notes · {{.T.FirstVisit}} → {{.T.LastVisit}} · {{.T.FollowUpDays}} days of follow-up</div>
<ul>{{range .T.Diagnoses}}<li{{if or (eq (print .Assertion) "negated") (eq (print .Assertion) "family")}} class="neg"{{end}}>{{if .ICD10}}<b>{{.ICD10}}</b> {{end}}{{.Name}} · {{eye .Eye}} · {{.Assertion}} · {{.FirstSeen}}–{{.LastSeen}}</li>{{end}}</ul>
{{if .T.Procedures}}<ul>{{range .T.Procedures}}<li>{{.Date}} {{.Text}} ({{eye .Eye}})</li>{{end}}</ul>{{end}}
<div class="charts">{{range .Charts}}<div class="c"><h3>{{.Title}}</h3>
<svg width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="{{.Title}}">
{{range .YTicks}}<line x1="48" x2="408" y1="{{.Pos}}" y2="{{.Pos}}" stroke="#eee"/><text x="44" y="{{.Pos}}" font-size="10" text-anchor="end" dominant-baseline="middle" fill="#777">{{.Label}}</text>{{end}}
{{range .XTicks}}<text x="{{.Pos}}" y="162" font-size="10" text-anchor="{{.Anchor}}" fill="#777">{{.Label}}</text>{{end}}
{{range .Lines}}<polyline fill="none" stroke="{{.Color}}" stroke-width="2" points="{{.Points}}"/>{{$c := .Color}}{{range .Dots}}<circle cx="{{.X}}" cy="{{.Y}}" r="3" fill="{{$c}}"><title>{{.Label}}</title></circle>{{end}}{{end}}
</svg><div class="legend">{{range .Lines}}<span style="color:{{.Color}}">● {{.Eye}}</span>{{end}}</div></div>{{end}}</div>
</div>{{end}}
</body></html>
`
