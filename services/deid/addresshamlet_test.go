package deid

import "testing"

func TestHamlets(t *testing.T) {
	checkPositives(t, []posCase{
		{"上午去后山组看何长贵，血压160/90", "ADDRESS:后山组"},
		{"三队王老幺脚烂了两个多月", "ADDRESS:三队"},
		{"下午给三队吕老蔫儿换药", "ADDRESS:三队"},
		{"老人家93了，一个人住在老寨，儿子在广东", "ADDRESS:老寨"},
		{"12.28 上张家湾，给老人量血压", "ADDRESS:张家湾"},
		{"3月1日 上新寨屯给莫桂珍量血糖", "ADDRESS:新寨屯"},
	})
	checkNoLabel(t, Address, "回到本村卫生室，去农村看看", "上一组数据，第三组", "去年住院，回家，到院，上午复查")
}
