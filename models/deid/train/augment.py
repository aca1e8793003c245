#!/usr/bin/env python3
"""Surrogate augmentation of the hand-written PHI gold sets (issue 3).

Each input note is written once as it is and then --copies times with every
gold span replaced by a random surrogate of the same type and a plausible
shape, so that the tagger learns the contexts identifiers sit in rather than
the identifiers themselves. Offsets are recomputed (code points,
end-exclusive). Within one copy of a note the same original always gets the
same surrogate (a name repeated in a note stays one name).

  augment.py --copies 20 --seed 1 --gazetteers ../shared/data/gazetteers \
      services/deid/testdata/heldout.jsonl ... > /work/phi-data/train.jsonl

Input and output lines: {id, patient_id, visit_date, text, phi: [{start, end,
label, text}]}. Output goes outside the repository (the gazetteer-derived
surrogates are harmless, but the training files are build products).

The surrogate vocabularies below (given-name characters, roads, estates,
organisation heads and suffixes) are written for this project; surnames and
administrative divisions come from the gazetteers (see their README).
"""
import argparse
import csv
import json
import random
import re
import sys

GIVEN = ("伟强军磊涛勇杰斌超鹏刚辉波峰浩凯亮俊建国志东林海龙飞宇昊博文庆福荣贵德成祥卫振永子轩泽睿航铭晨阳明华平"
         "红芳丽静敏燕娟霞婷玲秀英兰梅萍琴艳雪倩欣怡佳雨涵萱琳颖慧淑珍凤桂玉莉洁晓婉思梓诗可一家新春秋金云清宏立"
         "爱丹瑶蕾璐鑫宁彬坤健力翔嘉豪茂淳琪瑞安乐天素月秋菊兵山水松柏杨娜艺晶丰旭鸣远志军红卫小大二三")
MINORITY = ["扎西", "次仁", "顿珠", "卓玛", "央金", "平措", "达瓦", "格桑", "阿依", "古丽", "买买提", "艾力", "吐尔逊",
            "热依拉", "巴特尔", "其其格", "吉克", "阿木", "曲比", "阿呷", "拉姆", "旺堆", "尼玛", "索朗", "德吉"]
ROADS = ["人民", "解放", "中山", "建设", "和平", "文三", "延安", "长江", "黄河", "新华", "胜利", "青年", "学院", "科技",
         "光明", "幸福", "东风", "朝阳", "复兴", "振兴", "工农", "育才", "文化", "体育", "花园", "民主", "团结", "湖滨",
         "金沙", "凤凰", "天目山", "红旗", "迎宾", "公园", "府前", "滨河", "沿江", "机场", "站前", "工业", "南环", "北环"]
ROAD_SUFFIX = ["路", "路", "路", "街", "大街", "大道", "东路", "西路", "南路", "北路", "巷", "中路"]
ESTATE_HEAD = ["阳光", "金色", "绿城", "翠苑", "锦绣", "幸福", "和谐", "明珠", "碧水", "东方", "华府", "天鹅湖", "桃源",
               "紫金", "银河", "枫林", "梧桐", "星河", "蓝湾", "丽景", "康乐", "怡和", "新城", "书香", "御景", "滨江",
               "春晓", "嘉园", "金竹", "南坪", "龙湖", "碧桂", "万达", "保利", "恒大", "世纪"]
ESTATE_TAIL = ["花园", "家园", "新村", "小区", "公寓", "苑", "名苑", "雅苑", "府", "华庭", "城", "社区", "里"]
TOWN = ["镇", "乡", "街道"]
ORG_HEAD = ["华信", "恒达", "永安", "新锐", "博远", "鼎盛", "天润", "瑞丰", "正泰", "宏图", "汇通", "金桥", "中诚", "远航",
            "明德", "卓越", "东升", "大华", "安信", "力拓", "盛世", "海纳", "启明", "星辰", "万家", "百川", "同心", "嘉禾"]
ORG_TRADE = ["科技", "贸易", "建筑工程", "物流", "食品", "机械制造", "电子", "纺织", "房地产开发", "网络技术", "医药",
             "文化传媒", "环保", "汽车销售", "餐饮管理", ""]
ORG_SUFFIXES = ["有限责任公司", "股份有限公司", "有限公司", "集团", "公司", "中医医院", "中医院", "人民医院", "妇幼保健院",
                "眼科医院", "医院", "卫生院", "卫生服务中心", "诊所", "卫生室", "中学", "小学", "大学", "学院", "学校",
                "幼儿园", "派出所", "事务所", "银行", "支行", "厂", "研究所", "局", "委员会", "中心", "超市", "酒店"]
EMAIL_DOMAINS = ["163.com", "126.com", "qq.com", "sina.com", "sohu.com", "139.com", "foxmail.com", "outlook.com",
                 "gmail.com", "yeah.net", "hospital.cn", "example.org"]
CN_DIGITS = "〇一二三四五六七八九"


def load_gazetteers(d):
    surnames, weights = [], []
    with open(f"{d}/surnames.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            surnames.append(row["surname"])
            weights.append(max(float(row["tf"]), 1.0) ** 0.5)  # flatter than real life: rare surnames matter
    provinces, cities, counties = [], {}, []
    with open(f"{d}/admin_divisions.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["level"] == "province":
                provinces.append(row["name"])
            elif row["level"] == "city" and row["name"] not in ("市辖区", "县", "省直辖县级行政区划"):
                cities[row["code"]] = row["name"]
        f.seek(0)
        for row in csv.DictReader(f, delimiter="\t"):
            if row["level"] == "county" and row["name"] != "市辖区":
                city = cities.get(row["parent_code"], "")
                counties.append((row["province"], city, row["name"]))
    return surnames, weights, provinces, counties


class Surrogates:
    def __init__(self, rng, gaz):
        self.r = rng
        self.surnames, self.weights, self.provinces, self.counties = gaz

    def surname(self):
        return self.r.choices(self.surnames, self.weights)[0]

    def name(self, orig):
        r = self.r
        if re.fullmatch(r"[A-Za-z .\-]+", orig):  # romanised
            syl = ["Zhang", "Wang", "Li", "Chen", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
                   "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Wei", "Jun", "Hua", "Ming", "Fang", "Xiao", "Ling", "Yan"]
            return " ".join(r.choice(syl) + (r.choice(syl).lower() if r.random() < 0.5 else "")
                            for _ in range(max(1, orig.count(" ") + 1)))
        if "·" in orig or "•" in orig:
            dot = "·" if "·" in orig else "•"
            return r.choice(MINORITY) + r.choice(["", "江", "尔"]) + dot + r.choice(MINORITY)
        n = len(orig)
        if "某" in orig:
            return self.surname() + "某" * max(1, n - 1)
        if orig[:1] in "小老阿" and n == 2:
            return orig[0] + self.surname()[0]
        if n >= 4 and r.random() < 0.5:
            return r.choice(MINORITY) + r.choice(MINORITY)
        s = self.surname()
        g = max(1, n - len(s)) if n >= 2 else r.choice([1, 2])
        g = min(g, 3)
        if r.random() < 0.15:
            g = 1 if g == 2 else 2
        return s + "".join(r.choice(GIVEN) for _ in range(g))

    def place(self):
        return self.r.choice(self.counties)

    def address(self, orig):
        r = self.r
        prov, city, county = self.place()
        parts = []
        has = lambda chars: any(c in orig for c in chars)
        if "省" in orig or "自治区" in orig or (orig[:2] in ("北京", "上海", "天津", "重庆")):
            parts.append(prov)
        if has("市州盟") or r.random() < 0.3:
            if city and city != prov:
                parts.append(city)
        if has("区县旗") or r.random() < 0.5:
            parts.append(county)
        if has("镇乡") or "街道" in orig:
            parts.append(r.choice(ROADS)[:2] + r.choice(TOWN))
        if "村" in orig:
            parts.append(r.choice(ESTATE_HEAD)[:2] + "村" + (str(r.randint(1, 12)) + "组" if "组" in orig else ""))
        if has("路街道巷") or r.random() < 0.4:
            parts.append(r.choice(ROADS) + r.choice(ROAD_SUFFIX) + (self.num() + "号" if "号" in orig else ""))
        if has("苑园区里城府") or "小区" in orig or "社区" in orig or r.random() < 0.3:
            parts.append(r.choice(ESTATE_HEAD) + r.choice(ESTATE_TAIL))
        if has("栋幢楼座"):
            parts.append(self.num(1, 40) + r.choice(["栋", "幢", "号楼", "栋"]))
        if "单元" in orig:
            parts.append(self.num(1, 8) + "单元")
        if has("室") or re.search(r"\d{3,4}$", orig):
            parts.append(self.num(101, 2808) + ("室" if "室" in orig else ""))
        if len(parts) <= 1:
            parts = [prov if r.random() < 0.5 else "", city, county][(0 if parts else 1):]
        s = "".join(p for p in parts if p)
        if re.search(r"[０-９]", orig):
            s = s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
        return s or county

    def num(self, lo=1, hi=300):
        return str(self.r.randint(lo, hi))

    def date(self, orig, dob=False):
        r = self.r
        y = r.randint(1930, 2012) if dob else r.randint(1995, 2026)
        mo, d = r.randint(1, 12), r.randint(1, 28)
        h, mi = r.randint(0, 23), r.randint(0, 59)
        runs = list(re.finditer(r"\d+", orig))
        if not runs:
            if any(c in orig for c in CN_DIGITS + "十"):  # 二〇二三年三月五日, 三月五日
                ys = "".join(CN_DIGITS[int(c)] for c in str(y))
                out = (ys + "年" if "年" in orig else "") + self.cn_num(mo) + "月"
                return out + (self.cn_num(d) + ("日" if "日" in orig else "号") if ("日" in orig or "号" in orig) else "")
            return orig
        # Occasionally re-render a full date in another common form.
        full = re.fullmatch(r"(\d{4})\D(\d{1,2})\D(\d{1,2})日?", orig)
        if full and r.random() < 0.35:
            form = r.choice(["{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}", "{y}.{m}.{d}", "{y}/{m}/{d}", "{y}年{m:02d}月{d:02d}日",
                             "{y}.{m:02d}.{d:02d}", "{yy}/{m}/{d}", "{y}{m:02d}{d:02d}"])
            return form.format(y=y, m=mo, d=d, yy=str(y)[2:])
        vals = []
        seen_year = False
        for k, m in enumerate(runs):
            t = m.group()
            nxt = orig[m.end():m.end() + 1]
            if len(t) == 8:  # 20230305
                vals.append(f"{y}{mo:02d}{d:02d}")
                continue
            if len(t) == 4 and not seen_year:
                vals.append(str(y))
                seen_year = True
                continue
            if len(t) == 2 and k == 0 and nxt in "/.-年" and len(runs) >= 3:  # 23/3/5, 23年
                vals.append(str(y)[2:])
                seen_year = True
                continue
            if nxt in ":：" or (k > 0 and orig[runs[k - 1].end():m.start()] in (":", "：")):
                v = h if nxt in ":：" else mi
                vals.append(f"{v:0{len(t)}d}")
                continue
            if nxt == "月" or (nxt in "/.-" and len([x for x in vals if x]) == (1 if seen_year else 0)):
                vals.append(f"{mo:0{len(t)}d}" if len(t) == 2 else str(mo))
                continue
            vals.append(f"{d:0{len(t)}d}" if len(t) == 2 else str(d))
        out, last = [], 0
        for m, v in zip(runs, vals):
            out.append(orig[last:m.start()])
            out.append(v)
            last = m.end()
        out.append(orig[last:])
        return "".join(out)

    @staticmethod
    def cn_num(n):
        if n < 10:
            return CN_DIGITS[n] if n else "〇"
        return ("" if n < 20 else CN_DIGITS[n // 10]) + "十" + (CN_DIGITS[n % 10] if n % 10 else "")

    def shape(self, orig, keep_first=1, keep_letters=0.5):
        """Same shape: digits redrawn (the first keep_first of the string
        kept), letters redrawn or kept, separators kept."""
        r = self.r
        keep = r.random() < keep_letters
        out = []
        seen = 0
        for c in orig:
            if c.isdigit() and c.isascii():
                seen += 1
                out.append(c if seen <= keep_first else str(r.randint(0, 9)))
            elif "０" <= c <= "９":
                seen += 1
                out.append(c if seen <= keep_first else chr(ord("０") + r.randint(0, 9)))
            elif c.isascii() and c.isalpha() and not keep:
                lo = "abcdefghijklmnopqrstuvwxyz"
                ch = r.choice(lo)
                out.append(ch.upper() if c.isupper() else ch)
            else:
                out.append(c)
        return "".join(out)

    def phone(self, orig):
        digits = re.sub(r"\D", "", orig)
        keep = 1
        if digits.startswith("86") and len(digits) > 11:
            keep = 3
        elif digits.startswith("0"):
            keep = 2
        return self.shape(orig, keep_first=keep, keep_letters=1)

    def age(self, orig):
        r = self.r
        if re.search(r"\d", orig):
            return re.sub(r"\d+", lambda m: str(r.randint(90, 104)), orig, count=1)
        return orig

    def email(self, orig):
        r = self.r
        user = "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(r.randint(4, 12)))
        return user + ("@" if "@" in orig else "＠") + r.choice(EMAIL_DOMAINS)

    def organization(self, orig):
        r = self.r
        suf = next((s for s in ORG_SUFFIXES if orig.endswith(s)), "")
        prov, city, county = self.place()
        head = r.choice([county[:-1] if len(county) > 2 else county, (city or county)[:-1], "", ""])
        brand = r.choice(ORG_HEAD) if (not suf or "公司" in suf or "集团" in suf or r.random() < 0.3) else ""
        trade = r.choice(ORG_TRADE) if "公司" in suf else ""
        if not suf:
            suf = r.choice(ORG_SUFFIXES)
        if "医院" in suf and r.random() < 0.4:
            head = (city or county)[:-1] + r.choice(["第一", "第二", "第三", "中心", ""])
        if not head and not brand:
            head = (city or county)[:-1] or county
        return head + brand + trade + suf

    def make(self, label, orig):
        if label == "NAME":
            return self.name(orig)
        if label == "ADDRESS":
            return self.address(orig)
        if label in ("DATE", "DATE_OF_BIRTH"):
            return self.date(orig, dob=label == "DATE_OF_BIRTH")
        if label == "PHONE":
            return self.phone(orig)
        if label == "AGE":
            return self.age(orig)
        if label == "EMAIL":
            return self.email(orig)
        if label == "ORGANIZATION":
            return self.organization(orig)
        if label in ("ID_NUMBER", "RECORD_NUMBER", "OTHER_ID", "URL"):
            if label == "ID_NUMBER":
                return self.shape(orig, keep_first=2, keep_letters=1)
            return self.shape(orig, keep_first=0)
        return orig


def replace(rec, sur, copy):
    text = rec["text"]
    cp = list(text)
    spans = sorted(rec["phi"], key=lambda p: p["start"])
    memo = {}
    out, phi, pos, n = [], [], 0, 0
    for p in spans:
        if p["start"] < pos:  # overlapping gold span: keep the first
            continue
        out.append("".join(cp[pos:p["start"]]))
        n += p["start"] - pos
        orig = "".join(cp[p["start"]:p["end"]])
        key = (p["label"], orig)
        if key not in memo:
            memo[key] = sur.make(p["label"], orig) or orig
        new = memo[key]
        out.append(new)
        phi.append({"start": n, "end": n + len(new), "label": p["label"], "text": new})
        n += len(new)
        pos = p["end"]
    out.append("".join(cp[pos:]))
    new_text = "".join(out)
    for q in phi:
        assert new_text[q["start"]:q["end"]] == q["text"]
    return {"id": f'{rec["id"]}~{copy}', "patient_id": rec.get("patient_id", ""),
            "visit_date": rec.get("visit_date", ""), "text": new_text, "phi": phi}


FULL_WIDTH = {ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789"}


def noisy(rec, rng, p=0.04):
    """An OCR-like copy of rec: spaces (now and then a line break) inserted
    between characters, inside spans as outside, and in one such copy of
    three the digits made full-width, as scanned paper records come back
    from OCR. Spans keep their characters and grow by what falls inside."""
    text = rec["text"]
    if rng.random() < 1 / 3:
        text = text.translate(FULL_WIDTH)
    out, mapping, n = [], [], 0
    for i, c in enumerate(text):
        if i and c != "\n" and text[i - 1] != "\n" and rng.random() < p:
            gap = "\n" if rng.random() < 0.1 else " " * rng.choice((1, 1, 2))
            out.append(gap)
            n += len(gap)
        mapping.append(n)
        out.append(c)
        n += 1
    new_text = "".join(out)
    phi = []
    for q in rec["phi"]:
        a, b = mapping[q["start"]], mapping[q["end"] - 1] + 1
        phi.append({"start": a, "end": b, "label": q["label"], "text": new_text[a:b]})
    return {**rec, "text": new_text, "phi": phi}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20, help="surrogate copies per note (besides the original)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gazetteers", required=True, help="directory with surnames.tsv and admin_divisions.tsv")
    ap.add_argument("--noisy-every", type=int, default=0,
                    help="make every Nth surrogate copy OCR-like (noisy(); 0: none)")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    sur = Surrogates(rng, load_gazetteers(args.gazetteers))
    w = sys.stdout
    notes = 0
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = json.loads(line)
                w.write(json.dumps({**rec, "id": f'{rec["id"]}~0'}, ensure_ascii=False) + "\n")
                for c in range(1, args.copies + 1):
                    out = replace(rec, sur, c)
                    if args.noisy_every and c % args.noisy_every == 0:
                        out = noisy(out, rng)
                    w.write(json.dumps(out, ensure_ascii=False) + "\n")
                notes += 1
    print(f"augment: {notes} notes x {args.copies + 1}", file=sys.stderr)


if __name__ == "__main__":
    main()
