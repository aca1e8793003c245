package deid

import "testing"

func TestNicknamesAndFieldNames(t *testing.T) {
	checkPositives(t, []posCase{
		{"用户：医生您好，我是糖糖妈妈，孩子戴OK镜3个月", "NAME:糖糖"},
		{"07:45 小鱼儿奶奶：孩子早上摘镜后说有点痛", "NAME:小鱼儿"},
		{"20:12 朵朵爸爸：同问", "NAME:朵朵"},
		{"患儿：韦嘉乐（乳名乐乐）  男 6岁。乐乐配合可。", "NAME:乐乐"},
		{`{"plan":"散瞳验光","doctor":"甘露","history":"无"}`, "NAME:甘露"},
		{"ts=2025-01-02 patient=易子航 old=2025-1", "NAME:易子航"},
		{"医师 赵\n淑芬          （手签）", "NAME:赵\n淑芬"},
	})
	checkNoLabel(t, Name, "宝宝妈妈诉孩子夜间揉眼，慢慢好转，常常流泪。",
		"小孩奶奶陪同就诊，小儿眼科会诊。",
		`{"name":"散瞳验光"}`) // a field value that is no name
}
