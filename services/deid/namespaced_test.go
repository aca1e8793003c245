package deid

import "testing"

func TestSpacedAndCaretNames(t *testing.T) {
	checkPositives(t, []posCase{
		{"25031400141|卢 振 山|男|91|左眼新生血管", "NAME:卢 振 山"},
		{"性弱视|遮盖 2h/d|甄 佳", "NAME:甄 佳"},
		{"丈夫韦 德 昌来院，门诊蒙 志 坚复查，IOP 18", "NAME:蒙 志 坚"},
		{"NK1|1|向^东|SON||139831", "NAME:向^东"},
		{"PID|1||9^^^CHN^NI||向^秀^琼||19580102|F", "NAME:向^秀^琼"},
		{`t":{"name":"呼 延 晓 燕","idNo":"14`, "NAME:呼 延 晓 燕"},
		{"肿瘤科潘 嘉 仪、放射科司徒 明）。", "NAME:司徒 明"},
		{"Name: ZHAO, XIAOHUI  (赵晓慧)", "NAME:ZHAO, XIAOHUI"},
		{"Operator: Wang Yan", "NAME:Wang Yan"},
		{"8/6 11 许 小 宝 许 海 峰 父 341", "NAME:许 小 宝"},
		{"包工头 聂 老 三 已到，电话", "NAME:聂 老 三"},
	})
	checkNoLabel(t, Name, "说 老 高 … 不 对 ， 是 说 高 德 顺 上 月 底", // a line spaced throughout
		"右 眼 视 力 0.5 ， 左 眼 0.6",
		"Patient: OD 0.8 IOP 15")
}
