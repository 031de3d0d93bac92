"""The Mandarin front end on live-commerce sentences: tone sandhi, numbers and prices as a host
reads them, Latin brand names and model numbers. Each sentence is checked against the pinyin
(tone digits, 5 = neutral) of the part where a rule decides the reading."""

from __future__ import annotations

import pytest

from studio.lipsync.visemes import phoneme_to_viseme
from studio.voice.kokoro_phonemes import ATTACHED, PAUSE_SYMBOLS, STRESS, english_phonemes, to_ipa
from studio.voice.zh.g2p import phonemes, pinyin
from studio.voice.zh.normalize import normalize

# (sentence, the pinyin that must appear in its reading, in order). Tones are the spoken ones:
# a third tone before another third tone rises (两百 liang2 bai3, 点五 dian2 wu3).
SANDHI_YI = [
    ("家人们一起来看看这款精华液", "yi4 qi3"),
    ("今天给大家带来一款特别好用的面霜", "yi4 kuan3"),
    ("这两个颜色一样好看", "yi2 yang4"),
    ("这个价格一定要抓住", "yi2 ding4"),
    ("大家稍等一下，马上上链接", "yi2 xia5"),
    ("一次就能看到效果", "yi2 ci4"),
    ("拍一件送一件", "pai1 yi2 jian4 song4 yi2 jian4"),
    ("一瓶能用三个月", "yi4 ping2"),
    ("一天只要一块钱", "yi4 tian1"),
    ("前一百名下单的宝宝有赠品", "qian2 yi4 bai3 ming2"),
    ("这是我们店的销量第一", "di4 yi1"),
    ("十一点准时开抢", "shi2 yi1 dian2 zhun3"),
    ("全国统一零售价", "tong3 yi1"),
    ("大家可以看一看质地", "kan4 yi5 kan4"),
    ("一共三十片", "yi2 gong4"),
    ("一般的洗面奶做不到", "yi4 ban1"),
    ("这是唯一的赠品", "wei2 yi1"),
]
SANDHI_BU = [
    ("宝贝们不要犹豫", "bu2 yao4"),
    ("这个价格真的不是开玩笑", "bu2 shi4"),
    ("质量真的不错", "bu2 cuo4"),
    ("不用担心售后问题", "bu2 yong4"),
    ("库存已经不多了", "bu4 duo1"),
    ("这个价位一点都不贵", "bu2 gui4"),
    ("用了不会过敏", "bu2 hui4"),
    ("不好用包退", "bu4 hao3 yong4"),
    ("不行的话可以联系客服", "bu4 xing2"),
    ("对不起，刚才的链接错了", "dui4 bu5 qi3"),
]
SANDHI_THIRD = [
    ("你好，欢迎来到直播间", "ni2 hao3"),
    ("这款很好用", "hen2 hao3"),
    ("好久不见，家人们", "hao2 jiu3"),
    ("可以放心下单", "ke2 yi3"),
    ("这款洗脸巾特别软", "xi2 lian3"),
    ("补水效果特别明显", "bu2 shui3"),
    ("能减少细纹", "jian2 shao3"),
    ("老板今天亲自来了", "lao2 ban3"),
    ("展览馆同款", "zhan2 lan2 guan3"),
    ("这款粉底液很服帖", "fen2 di3"),
    ("保养品要坚持用", "bao2 yang2 pin3"),
    ("水果味的唇膏", "shui2 guo3"),
]
PRICES = [
    ("今天只要¥89.90", "ba1 shi2 jiu3 kuai4 jiu3"),
    ("到手价￥89.99", "ba1 shi2 jiu3 kuai4 jiu3 mao2 jiu3"),
    ("原价¥199，今天直降", "yi4 bai3 jiu3 shi2 jiu3 kuai4"),
    ("加¥2换购", "liang3 kuai4"),
    ("只要¥0.5一片", "wu3 mao2"),
    ("¥9.9包邮", "jiu3 kuai4 jiu3 bao1 you2"),
    ("59元两件", "wu3 shi2 jiu3 kuai4"),
    ("整套¥1299", "yi4 qian1 er4 bai3 jiu3 shi2 jiu3 kuai4"),
    ("直降¥200", "liang2 bai3 kuai4"),
    ("海外价$19.99", "shi2 jiu3 dian2 jiu3"),
    ("运费¥10.05", "shi2 kuai4 ling2 wu3 fen1"),
    ("3.5元一包", "san1 kuai4 wu3 yi4 bao1"),
    ("99块钱三瓶", "jiu3 shi2 jiu3 kuai4 san1 ping2"),
    ("单价¥25.80", "er4 shi2 wu3 kuai4 ba1"),
    ("定金¥20抵¥100", "er4 shi2 kuai4 di3 yi4 bai3 kuai4"),
    ("¥1,299.00到手", "yi4 qian1 er4 bai3 jiu3 shi2 jiu3 kuai4"),
    ("全角ＳＰＦ５０", "SPF wu3 shi2"),
]
PERCENT_DISCOUNT = [
    ("限时50%折扣", "bai3 fen1 zhi1 wu3 shi2"),
    ("全场8折", "ba1 zhe2"),
    ("会员8.5折", "ba1 wu3 zhe2"),
    ("100%纯棉", "bai3 fen1 zhi1 yi4 bai3"),
    ("烟酰胺浓度5%", "bai3 fen1 zhi1 wu3"),
    ("满300减50", "san1 bai3 jian2 wu3 shi2"),
    ("第2件半价", "di4 er4 jian4 ban4 jia4"),
    ("买2送1", "mai3 er4 song4 yi1"),
    ("拍2瓶更划算", "liang3 ping2"),
    ("好评率99.9%", "bai3 fen1 zhi1 jiu3 shi2 jiu3 dian2 jiu3"),
]
DATES_TIMES = [
    ("2026年的新款", "er4 ling2 er4 liu4 nian2"),
    ("12月12日晚上开抢", "shi2 er4 yue4 shi2 er4 ri4"),
    ("2026-12-07开播", "er4 ling2 er4 liu4 nian2 shi2 er4 yue4 qi1 ri4"),
    ("晚上8:30准时上链接", "ba1 dian3 ban4"),
    ("20:00开抢", "er4 shi2 dian3"),
    ("10:05发福利", "shi2 dian3 ling2 wu3 fen1"),
    ("618大促提前购", "liu4 yi1 ba1 da4 cu4"),
    ("双11价格", "shuang1 shi2 yi1"),
    ("3-5天发货", "san1 dao4 wu3 tian1"),
    ("7天无理由退换", "qi1 tian1"),
]
UNITS = [
    ("容量50ml", "wu3 shi2 hao2 sheng1"),
    ("一袋500g", "yi2 dai4 wu2 bai3 ke4"),
    ("净重1.5kg", "yi1 dian2 wu3 gong1 jin1"),
    ("电池5000mAh", "wu3 qian1 hao2 an1 shi2"),
    ("长度30cm", "san1 shi2 li2 mi3"),
    ("65W快充", "liu4 shi2 wu2 wa3 kuai4 chong1"),
    ("内存128GB", "yi4 bai3 er4 shi2 ba1 G"),
    ("2L大容量", "liang3 sheng1"),
    ("水温38℃最合适", "san1 shi2 ba1 she4 shi4 du4"),
    ("6寸的屏幕", "liu4 cun4"),
]
BRANDS = [
    ("这款iPhone 15今天有货", "zhe4 kuan3 iPhone shi2 wu3"),
    ("SPF50+的防晒霜", "SPF wu3 shi2 jia1 de5 fang2 shai4 shuang1"),
    ("PA+++防护", "PA san1 ge5 jia1"),
    ("RTX4090显卡", "RTX si4 ling2 jiu3 ling2"),
    ("华为Mate 60", "hua2 wei2 Mate liu4 shi2"),
    ("Dior口红试色", "Dior kou3 hong2"),
    ("小米14手机", "xiao2 mi3 shi2 si4"),
    ("VC精华", "VC jing1 hua2"),
    ("5G手机", "wu3 G shou3 ji1"),
    ("iPad Pro平板", "iPad Pro ping2 ban3"),
]
EVERYDAY = [
    ("欢迎来到直播间", "huan1 ying2 lai2 dao4 zhi2 bo1 jian1"),
    ("点击下方小黄车", "dian3 ji1 xia4 fang1 xiao3 huang2 che1"),
    ("关注主播不迷路", "guan1 zhu4 zhu3 bo1"),
    ("支持银行卡分期", "yin2 hang2 ka3"),
    ("还有最后三单", "hai2 you3"),
    ("长期使用皮肤更好", "chang2 qi1"),
    ("重新上一次链接", "chong2 xin1"),
    ("下单后四十八小时内发货", "fa1 huo4"),
    ("客服电话13812345678", "yao1 san1 ba1 yao1 er4 san1 si4 wu3 liu4 qi1 ba1"),
    ("谢谢大家的支持", "xie4 xie5 da4 jia1"),
    ("喜欢的宝宝扣个1", "kou4 ge5 yi1"),
    ("库存只剩20件了", "er4 shi2 jian4"),
]
ALL = (
    SANDHI_YI + SANDHI_BU + SANDHI_THIRD + PRICES + PERCENT_DISCOUNT + DATES_TIMES + UNITS + BRANDS + EVERYDAY
)


def test_the_list_covers_every_rule_with_over_a_hundred_sentences() -> None:
    assert len(ALL) >= 100 and len({sentence for sentence, _ in ALL}) == len(ALL)


@pytest.mark.parametrize(("sentence", "expected"), ALL, ids=[s for s, _ in ALL])
def test_reading(sentence: str, expected: str) -> None:
    reading = " ".join(pinyin(sentence))
    assert f" {expected} " in f" {reading} ", reading


def test_no_digit_or_price_symbol_is_left_for_the_voice() -> None:
    for sentence, _ in ALL:
        spoken = normalize(sentence)
        assert not any(ch.isdigit() or ch in "¥￥$%％+:" for ch in spoken), (sentence, spoken)


def test_phonemes_carry_tones_pauses_and_english_brand_names() -> None:
    said = phonemes("大家好，这款iPhone 15只要¥5999！", english_phonemes)
    assert said.startswith("ta↘ʨja→ xau↓,")  # 大家好, with its tones, then a comma pause
    assert "I" in said and "fˈOn" in said  # iPhone in English: "aɪ" is misaki's I, "oʊ" its O
    assert said.endswith("kʰwai↘!")  # 块 and the exclamation the voice pauses on
    assert "\u032f" not in said and "¥" not in said


def test_sandhi_changes_the_phonemes_the_voice_hears() -> None:
    # 你好: ni3 -> ni2 (rising ↗) before the third tone of 好 (dipping ↓).
    assert phonemes("你好", english_phonemes).startswith("ni↗xau↓")
    assert phonemes("一起", english_phonemes).startswith("i↘")  # yi1 -> yi4 before a third tone


def test_every_phoneme_the_voice_hears_has_a_mouth_shape() -> None:
    # Kokoro's symbols (misaki's: ꭧ, ʨ, A, I ...) reach the viseme table as IPA it knows.
    symbols = {ch for sentence, _ in ALL for ch in phonemes(sentence, english_phonemes)}
    symbols |= set(english_phonemes("Judge the church's thirty beige oysters, yeah, it's a measure of joy!"))
    phones = {ch for ch in symbols if ch not in PAUSE_SYMBOLS | STRESS | ATTACHED and not ch.isspace()}
    assert {"ꭧ", "ʨ", "ʦ", "ɕ", "ʂ", "ɻ", "ɥ", "ʤ", "ʧ", "A", "I", "O", "Y"} <= phones
    shapeless = {ch for ch in phones if phoneme_to_viseme(to_ipa(ch)) == "sil"}
    assert shapeless == {"h"}  # h shows the next phone's shape (the viseme table's rule)


def test_a_number_too_long_to_be_a_cardinal_is_read_digit_by_digit() -> None:
    # cn2an reads at most 16 digits; a longer one (a pasted order number with a decimal point,
    # a price typed with too many nines) must not end the voice with a ValueError.
    assert normalize("1234567890123456789.5") == "一二三四五六七八九零一二三四五六七八九点五"
    for text in ("价格99999999999999999999元", "$123456789012345678901", "100000000000000000000000%"):
        assert not any(ch.isdigit() for ch in normalize(text)), text
    assert phonemes("订单号1234567890123456789.5", english_phonemes)
    assert normalize("٣瓶") == "三瓶"  # any script's decimal digits are digits, not a cn2an ValueError


def test_a_price_is_not_read_from_the_middle_of_a_number() -> None:
    assert normalize("12.345元") == "十二点三四五元"
