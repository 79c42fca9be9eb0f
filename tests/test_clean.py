"Edge cases and properties of `llmrec.clean`: each rule on its own, `clean_text` on any string."
import functools, math, random, unicodedata
import pytest
from hypothesis import given, settings, strategies as st
from llmrec.clean import (DEFAULT_STEPS, STOP_WORD_LANGS, check_str, clean_text, collapse_whitespace, remove_emoji,
                          remove_urls, stop_words, strip_html, to_halfwidth, to_simplified)

RULES = (strip_html, remove_urls, remove_emoji, to_halfwidth, to_simplified, collapse_whitespace)

# What `remove_emoji` promises to drop, written out here so that shrinking the library's table fails a test:
# pictographs, dingbats and symbols, regional-indicator flags, watch / hourglass / media symbols, variation
# selectors, the keycap mark, tag characters (subdivision flags) and the zero-width joiner.
EMOJI_RANGES = [(0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F1E6, 0x1F1FF), (0x231A, 0x231B),
                (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0xFE00, 0xFE0F), (0x20E3, 0x20E3), (0xE0020, 0xE007F),
                (0x200D, 0x200D)]
DROPPED_CATEGORIES = {'Cc', 'Cf', 'Co', 'Cn', 'Cs'}  # controls (become spaces), format, private, unassigned, surrogate


def is_emoji(c): return any(a <= ord(c) <= b for a, b in EMOJI_RANGES)


def check_clean_invariants(out):
    "What every output of `clean_text` satisfies, whatever went in."
    assert isinstance(out, str)
    assert out == out.strip(), f'leading/trailing whitespace in {out!r:.80}'
    assert '  ' not in out and all(c == ' ' for c in out if c.isspace()), f'uncollapsed whitespace in {out!r:.80}'
    bad = sorted({f'U+{ord(c):04X}' for c in out if unicodedata.category(c) in DROPPED_CATEGORIES or is_emoji(c)})
    assert not bad, f'control, invisible or emoji code points survived: {bad[:10]}'


# Hypothesis: fixed examples (derandomize) so a failure reproduces on every machine; no example database written
# into the repository; no deadline (the first call builds the invisible-character table).
PROPERTY = settings(max_examples=1000, deadline=None, database=None, derandomize=True)

# ---------------------------------------------------------------------------------------------------------------
# The documented examples

def test_documented_example():
    assert clean_text('<p>ＭａｔｅＢｏｏｋ　１４ 筆記型電腦 👍 https://example.com/a</p>') == 'MateBook 14 笔记本电脑'


def test_escaped_lt_is_kept_as_text():
    assert clean_text('价格&lt;100元') == '价格<100元'


def test_default_steps_order():
    "The documented order: full-width first (so full-width tags and links are seen), whitespace last."
    assert DEFAULT_STEPS == (to_halfwidth, strip_html, remove_urls, remove_emoji, to_simplified, collapse_whitespace)


def test_custom_steps_keep_traditional():
    keep_traditional = tuple(s for s in DEFAULT_STEPS if s is not to_simplified)
    assert clean_text('<b>筆記型電腦</b>', steps=keep_traditional) == '筆記型電腦'

# ---------------------------------------------------------------------------------------------------------------
# Full-width and compatibility characters (NFKC)

@pytest.mark.parametrize('raw, expected', [
    ('ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    ('ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ', 'abcdefghijklmnopqrstuvwxyz'),
    ('０１２３４５６７８９', '0123456789'),
    ('ＭａｔｅＢｏｏｋ　１４', 'MateBook 14'),            # ideographic space U+3000
    ('ＵＳＢ－Ｃ接口', 'USB-C接口'),
    ('Ｗｉ－Ｆｉ６路由器', 'Wi-Fi6路由器'),
    ('１４．５英寸', '14.5英寸'),
    ('１２８ＧＢ', '128GB'),
    ('①号', '1号'),
    ('５㎏装', '5kg装'),
    ('ﾜｲﾔﾚｽ', 'ワイヤレス'),                       # half-width katakana fold to full-width
    ('e\u0301', '\u00e9'),                              # combining acute accent composes
    ('Cafe\u0301 耳机', 'Caf\u00e9 耳机'),
    ('ｉＰｈｏｎｅ１５ＰｒｏＭａｘ', 'iPhone15ProMax'),       # case is kept: lower-casing is the tokenizer's job
])
def test_fullwidth_and_compatibility_forms(raw, expected):
    assert to_halfwidth(raw) == expected
    assert clean_text(raw) == expected


def test_combining_mark_is_composed_not_dropped():
    out = clean_text('e\u0301')
    assert out == '\u00e9' and unicodedata.is_normalized('NFC', out) and len(out) == 1


def test_fullwidth_tag_and_link_are_recognised():
    "Folding first means a full-width tag or link is removed like an ASCII one."
    assert clean_text('＜ｂ＞粗体＜／ｂ＞') == '粗体'
    assert clean_text('ＨＴＴＰＳ：／／ｅｘａｍｐｌｅ．ｃｏｍ／ａ 耳机') == '耳机'


def test_mixed_scripts_survive():
    raw = 'Sony WH-1000XM5 무선 헤드폰 ﾜｲﾔﾚｽ 藍牙耳機 Ελληνικά Русский'
    assert clean_text(raw) == 'Sony WH-1000XM5 무선 헤드폰 ワイヤレス 蓝牙耳机 Ελληνικά Русский'

# ---------------------------------------------------------------------------------------------------------------
# HTML and links

@pytest.mark.parametrize('raw, expected', [
    ('<p>价格&lt;100元</p>', ' 价格<100元 '),
    ('<b>限时</b>特惠&amp;包邮', '限时特惠&包邮'),
    ('a &amp;lt;b&amp;gt; c', 'a <b> c'),                 # double-escaped text comes out plain
    ('1 < 2 and 3 > 2', '1 < 2 and 3 > 2'),               # comparison signs are not tags
    ('芯片&lt;M2&gt;', '芯片<M2>'),                          # an escaped tag is text, not a tag
    ('<p>一</p><p>二</p>', ' 一  二 '),                     # block tags become spaces: paragraphs do not glue
    ('<b>三</b>四', '三四'),                                # inline tags vanish
    ('前<script>alert("x")</script>后', '前 后'),
    ('前<STYLE type="text/css">p{color:red}</STYLE>后', '前 后'),
    ('前<!-- 注释 -->后', '前 后'),
    ('<div class="desc" data-x=\'1\'>耳机</div>', ' 耳机 '),
    ('<br/>换行<br>', ' 换行 '),
])
def test_strip_html(raw, expected):
    assert strip_html(raw) == expected


@pytest.mark.parametrize('raw, expected', [
    ('详情见https://example.com/a?b=1官网', '详情见 官网'),   # CJK glued to the link is kept
    ('访问 www.example.cn 了解', '访问   了解'),
    ('HTTP://EXAMPLE.COM/X 耳机', '  耳机'),
    ('ftp://files.example.com/manual.pdf', ' '),
    ('无链接文本', '无链接文本'),
])
def test_remove_urls(raw, expected):
    assert remove_urls(raw) == expected

# ---------------------------------------------------------------------------------------------------------------
# Emoji, invisible characters, controls

@pytest.mark.parametrize('raw, expected', [
    ('好用👍耳机', '好用耳机'),
    ('好用👍🏻👍🏽👍🏿耳机', '好用耳机'),                          # skin-tone modifiers
    ('👨\u200d👩\u200d👧\u200d👦家庭装', '家庭装'),               # ZWJ family sequence
    ('🏳️\u200d🌈彩虹', '彩虹'),                               # ZWJ + variation selector
    ('🇨🇳中国🇺🇸', '中国'),                                   # regional-indicator flags
    ('🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f英格兰', '英格兰'),  # tag-sequence flag
    ('1️⃣号', '1号'),                                          # keycap: digit kept, VS16 and U+20E3 dropped
    ('#️⃣', '#'),
    ('❤️喜欢', '喜欢'),
    ('⌚手表⏰', '手表'),
    ('☀晴天★', '晴天'),
    ('😀😃😄😁', ''),
])
def test_emoji_sequences_removed(raw, expected):
    assert remove_emoji(raw) == expected
    assert clean_text(raw) == expected


CJK_PUNCT = '「」《》【】，。、；：？！…'


def test_cjk_punctuation_untouched_by_emoji_and_simplify_rules():
    assert remove_emoji(CJK_PUNCT) == CJK_PUNCT
    assert to_simplified(CJK_PUNCT) == CJK_PUNCT
    assert remove_emoji('「耳机」，《手册》、【新品】') == '「耳机」，《手册》、【新品】'


def test_cjk_punctuation_in_clean_text():
    "Brackets and 。、 have no compatibility form and stay; full-width ，；：？！ and … fold as NFKC documents."
    assert clean_text(CJK_PUNCT) == '「」《》【】,。、;:?!...'
    assert clean_text('「耳机」《手册》【新品】。、') == '「耳机」《手册》【新品】。、'


@pytest.mark.parametrize('char', ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e', '\u200f',
                                  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2069',
                                  '\u00ad', '\u061c'],
                         ids=lambda c: f'U+{ord(c):04X}')
def test_zero_width_bom_and_direction_marks_removed(char):
    assert unicodedata.category(char) == 'Cf'
    assert remove_emoji(f'零{char}宽') == '零宽'
    assert clean_text(f'{char}零{char}宽{char}') == '零宽'


@pytest.mark.parametrize('char', ['\ue000', '\uf8ff', '\U000f0000', '\U0010fffd'], ids=lambda c: f'U+{ord(c):04X}')
def test_private_use_removed(char):
    assert unicodedata.category(char) == 'Co'
    assert clean_text(f'私{char}用') == '私用'


@pytest.mark.parametrize('char', ['\u0378', '\uffff', '\U0003fffe', '\U000e0080'], ids=lambda c: f'U+{ord(c):04X}')
def test_unassigned_removed(char):
    assert unicodedata.category(char) == 'Cn'
    assert clean_text(f'未{char}分配') == '未分配'


@pytest.mark.parametrize('char', ['\ud800', '\udbff', '\udc00', '\udfff'], ids=lambda c: f'U+{ord(c):04X}')
def test_lone_surrogates_removed(char):
    assert clean_text(f'孤{char}立') == '孤立'
    assert clean_text(char) == ''


@pytest.mark.parametrize('char', ['\x00', '\x07', '\x08', '\x1b', '\x1f', '\x7f', '\x80', '\x85', '\x9f'],
                         ids=lambda c: f'U+{ord(c):04X}')
def test_control_characters_become_space(char):
    assert remove_emoji(f'a{char}b') == 'a b'
    assert clean_text(f'耳机{char}蓝牙') == '耳机 蓝牙'


def test_control_runs_become_one_space():
    assert remove_emoji('a\tb\x00c') == 'a b c'
    assert clean_text('耳机\x00\x01\x02\r\n\t蓝牙') == '耳机 蓝牙'

# ---------------------------------------------------------------------------------------------------------------
# Traditional to simplified

@pytest.mark.parametrize('raw, expected', [
    ('筆記型電腦', '笔记本电脑'),
    ('滑鼠', '鼠标'),
    ('軟體', '软件'),
    ('記憶體', '内存'),
    ('印表機', '打印机'),
    ('網路', '网络'),
    ('藍牙耳機', '蓝牙耳机'),
    ('筆記型電腦 藍牙耳機 滑鼠', '笔记本电脑 蓝牙耳机 鼠标'),
    ('笔记本电脑', '笔记本电脑'),                          # simplified text is unchanged
])
def test_taiwan_phrases(raw, expected):
    assert to_simplified(raw) == expected
    assert clean_text(raw) == expected


def test_hong_kong_text_with_hk2s():
    "`hk2s` knows Hong Kong variants (衞) that the Taiwan table leaves alone; `clean_text` takes it as a step."
    assert to_simplified('衞生紙', config='hk2s') == '卫生纸'
    assert to_simplified('電腦軟件', config='hk2s') == '电脑软件'
    hk_steps = tuple(functools.partial(to_simplified, config='hk2s') if s is to_simplified else s
                     for s in DEFAULT_STEPS)
    assert clean_text('<p>衞生紙 電腦軟件</p>', steps=hk_steps) == '卫生纸 电脑软件'


def test_unknown_opencc_config():
    with pytest.raises(ValueError, match="Unknown OpenCC config 'nope'"): to_simplified('電腦', config='nope')


def test_to_simplified_keeps_text_after_nul():
    assert to_simplified('耳機\x00藍牙') == '耳机\x00蓝牙'


@pytest.mark.parametrize('raw, expected', [('\ud800耳機', '\ud800耳机'), ('耳機\udfff', '耳机\udfff'),
                                           ('\ud800', '\ud800'), ('藍牙\udc00耳機\udbff', '蓝牙\udc00耳机\udbff')])
def test_to_simplified_accepts_lone_surrogates(raw, expected):
    "Regression: OpenCC cannot encode a lone surrogate; the rule converts around it instead of raising."
    assert to_simplified(raw) == expected

# ---------------------------------------------------------------------------------------------------------------
# Whitespace, empty input

@pytest.mark.parametrize('raw', ['', ' ', '   ', '\t\n\r', '\u3000', '\u00a0', '\u2028\u2029', '\x00\x01',
                                 '\u200b\ufeff', '👍🏻', '<p></p>', '<br/>', 'https://example.com', '&nbsp;'])
def test_empty_or_blank_gives_empty(raw):
    assert clean_text(raw) == ''


def test_collapse_whitespace():
    assert collapse_whitespace('  轻薄\n\n笔记本   电脑 ') == '轻薄 笔记本 电脑'
    assert collapse_whitespace('a\u3000\u00a0\u2028b') == 'a b'

# ---------------------------------------------------------------------------------------------------------------
# Non-str input

BAD_INPUTS = [(None, 'NoneType'), (float('nan'), 'float'), (3, 'int'), (b'bytes', 'bytes'), (['a'], 'list')]


@pytest.mark.parametrize('rule', RULES + (clean_text, check_str), ids=lambda f: f.__name__)
@pytest.mark.parametrize('value, type_name', BAD_INPUTS, ids=[t for _, t in BAD_INPUTS])
def test_non_str_raises_type_error_naming_type(rule, value, type_name):
    with pytest.raises(TypeError, match=f'must be a str, got {type_name}'): rule(value)


def test_check_str_names_position():
    with pytest.raises(TypeError, match='`texts` must be a str, got NoneType at position 3'):
        check_str(None, 'texts', position=3)

# ---------------------------------------------------------------------------------------------------------------
# Stop words

def test_stop_words_lists():
    sw = stop_words()
    assert sw == stop_words('zh') | stop_words('en') == stop_words(STOP_WORD_LANGS)
    assert {'的', '了', '我', '想', 'the', 'and'} <= sw
    assert not {'书', '表', '包', '新', '耳机', '手机', 'pro'} & sw   # words that name products stay
    assert '的' not in stop_words('en') and 'the' not in stop_words('zh')


def test_stop_words_unknown_language():
    with pytest.raises(ValueError, match=r"Unknown stop-word language\(s\) \['fr'\]"): stop_words(['fr'])

# ---------------------------------------------------------------------------------------------------------------
# Idempotence

@pytest.mark.parametrize('raw', [
    '<div>Ｗｉ－Ｆｉ６ 路由器&amp;amp;藍牙</div>\u200b😀',
    '&#65313;&#x1F600;&nbsp;耳机',             # entities that decode to a full-width letter, an emoji, a space
    '&lt;b&gt;限时&lt;/b&gt;',                   # an escaped tag becomes a tag after one pass
    '<\u200bb>耳机',                           # removing an invisible character exposes a tag
    'e\u200b\u0301',                           # ... or a combining sequence
    '＆ｌｔ；ｐ＆ｇｔ；',
])
def test_idempotent_on_tricky_cases(raw):
    once = clean_text(raw)
    assert clean_text(once) == once
    check_clean_invariants(once)


@pytest.mark.parametrize('depth', [2, 5, 20])
def test_idempotent_on_deeply_nested_tags(depth):
    "Regression: nested tags (<<b>b>) once needed a pass per level, so 5 levels beat max_passes=4."
    raw = '<' * depth + 'b>' * depth + '耳机'
    assert strip_html(raw) == '耳机'
    once = clean_text(raw)
    assert once == '耳机' and clean_text(once) == once

# ---------------------------------------------------------------------------------------------------------------
# Properties over any string

FRAGMENTS = ['<p>', '</p>', '<b>', '</b>', '<br/>', '<div class="x">', '<script>x</script>', '<style>p{}</style>',
             '<!-- c -->', '<', '>', '&', '&lt;', '&gt;', '&amp;', '&amp;lt;', '&nbsp;', '&#65313;', '&#x1F600;',
             '&#0;', 'https://example.com/a?b=1', 'www.example.cn', 'ftp://a.b/c', 'ＭａｔｅＢｏｏｋ', '１４', '　',
             'ＵＳＢ－Ｃ', '筆記型電腦', '滑鼠', '軟體', '藍牙耳機', '衞生紙', '👍🏻', '👨\u200d👩\u200d👧', '🇨🇳', '1️⃣',
             '\u200b', '\ufeff', '\u202e', 'e\u0301', '\ud800', '\ue000', '\u0378', '\x00', '\t', '\n', ' ',
             '「', '」', '，', '…', '耳机', '手机', 'iPhone15']
any_text = st.text(alphabet=st.characters(codec=None))    # includes surrogates, private-use and unassigned
noisy_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), any_text.filter(lambda s: len(s) <= 4)),
                      max_size=25).map(''.join)


@PROPERTY
@given(st.one_of(any_text, noisy_text))
def test_clean_text_any_string(raw):
    "For any str: returns a str without raising, idempotent, no controls / invisible / emoji, trimmed."
    once = clean_text(raw)
    check_clean_invariants(once)
    assert clean_text(once) == once


@PROPERTY
@given(any_text)
def test_each_rule_accepts_any_string(raw):
    "Each rule on its own returns a str for any str, surrogates included."
    for rule in RULES:
        assert isinstance(rule(raw), str)


@PROPERTY
@given(any_text)
def test_remove_emoji_leaves_no_dropped_code_points(raw):
    out = remove_emoji(raw)
    assert not [c for c in out if unicodedata.category(c) in DROPPED_CATEGORIES or is_emoji(c)]


def test_one_megabyte_string():
    "A 1 MB noisy description (realistic noise repeated, plus random code points) is cleaned and idempotent."
    unit = ('<p>ＭａｔｅＢｏｏｋ　１４ 筆記型電腦 👍🏻 https://example.com/a?b=1</p>&amp;lt;限时&gt; 藍牙耳機\u200b '
            '1️⃣ 🇨🇳 「新品」，包邮！<br/>滑鼠&nbsp;軟體 👨\u200d👩\u200d👧\n\t')
    rng = random.Random(0)
    pieces, size = [], 0
    while size < 1_000_000:
        piece = unit if rng.random() < 0.8 else ''.join(chr(rng.randrange(0x110000)) for _ in range(20))
        pieces.append(piece); size += len(piece)
    raw = ''.join(pieces)
    assert len(raw) >= 1_000_000
    once = clean_text(raw)
    assert 'MateBook 14 笔记本电脑' in once and '鼠标' in once
    check_clean_invariants(once)
    assert clean_text(once) == once
