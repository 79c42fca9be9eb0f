"Edge cases, round trips and properties of `llmrec.tokens.JiebaTokenizer`."
import copy, json, os, pickle, subprocess, sys
from pathlib import Path
import jieba
import pytest
from hypothesis import given, settings, strategies as st
from llmrec.clean import clean_text, stop_words
from llmrec.core import sample_items
from llmrec.tokens import JiebaTokenizer

TOK = JiebaTokenizer()            # shared by the tests that only read; building one copies jieba's dictionary
TOK_AGAIN = JiebaTokenizer()      # a second, independent instance for determinism across instances
SEARCH = JiebaTokenizer(mode='search')
STOP = frozenset(w.lower() for w in stop_words())

# Varied texts for the round-trip and cross-process tests: catalog copy, queries, model numbers, mixed words,
# traditional characters and noise (cleaned first where a test says so).
VARIED = [*sample_items().text,
          '我想买一台笔记本电脑和一副耳机', 'iPhone15ProMax 128GB 5G手机', 'RTX4090显卡', 'USB-C接口 Wi-Fi6路由器',
          '14.5英寸', '这本书和那块表', '纯棉T恤', '买个U盘', 'SIM卡', '小米14Pro降噪耳机', '筆記型電腦 滑鼠',
          '<p>ＭａｔｅＢｏｏｋ　１４ 👍 https://example.com/a</p>', '', '   ', '的了吗', 'The Best Book', '耳机', '耳机']

PROPERTY = settings(max_examples=500, deadline=None, database=None, derandomize=True)

# ---------------------------------------------------------------------------------------------------------------
# Segmentation

def test_quantifier_does_not_swallow_noun():
    toks = TOK('我想买一台笔记本电脑和一副耳机')
    assert '笔记本电脑' in toks and '耳机' in toks
    assert '副耳机' not in toks and '一台' not in toks and '一副' not in toks
    assert toks == ['笔记本电脑', '耳机']


@pytest.mark.parametrize('text, expected', [
    ('iPhone15ProMax', ['iphone15promax']),
    ('128GB', ['128gb']),
    ('5G手机', ['5g', '手机']),
    ('RTX4090显卡', ['rtx4090', '显卡']),
    ('USB-C接口', ['usb-c', '接口']),
    ('Wi-Fi6路由器', ['wi-fi6', '路由器']),
    ('14.5英寸', ['14.5', '英寸']),
    ('3.5mm耳机', ['3.5mm', '耳机']),
    ('1TB', ['1tb']),
    ('iPhone15ProMax 128GB 5G手机', ['iphone15promax', '128gb', '5g', '手机']),
    ('IPHONE15PROMAX', ['iphone15promax']),           # lower-cased: the same feature whatever the case
])
def test_model_numbers_stay_whole_and_lower_cased(text, expected):
    assert TOK(text) == expected


@pytest.mark.parametrize('text, expected', [('这本书和那块表', ['书', '表']), ('书', ['书']), ('表', ['表']),
                                            ('两本书', ['书'])])
def test_one_character_words_kept(text, expected):
    assert TOK(text) == expected


@pytest.mark.parametrize('text, word', [('纯棉T恤', 't恤'), ('T恤', 't恤'), ('t恤', 't恤'), ('U盘', 'u盘'),
                                        ('买个U盘', 'u盘'), ('SIM卡', 'sim卡')])
def test_mixed_latin_chinese_words_kept_whole(text, word):
    toks = TOK(text)
    assert word in toks
    assert not {word[0], word[1:], word[:-1]} & set(toks)


@pytest.mark.parametrize('text', ['', ' ', '   ', '\t\n\r', '\u3000', '，。！？', '...', '的了吗', 'the and of'])
def test_empty_blank_punctuation_or_only_stop_words_gives_empty_list(text):
    assert TOK(text) == []


def test_search_mode_adds_compound_parts():
    text = '笔记本电脑和智能手机'
    accurate, search = TOK(text), SEARCH(text)
    assert set(accurate) <= set(search)
    assert {'电脑', '手机', '智能手机', '笔记本电脑'} <= set(search)
    assert '电脑' not in accurate and '手机' not in accurate
    assert '能手' not in search            # only the best split, not every dictionary word inside
    assert [t for t in search if t in accurate] == accurate   # accurate tokens keep their order


def test_hmm_off_still_segments_dictionary_words():
    assert JiebaTokenizer(hmm=False)('我想买一台笔记本电脑') == ['笔记本电脑']

# ---------------------------------------------------------------------------------------------------------------
# Stop words

def test_default_stop_words_dropped():
    assert TOK('我的耳机') == ['耳机']
    assert TOK('The Best Book') == ['best', 'book']


def test_stop_words_none_keeps_them():
    assert JiebaTokenizer(stop_words=None)('我的耳机') == ['我', '的', '耳机']


def test_quantities_go_even_without_stop_words():
    toks = JiebaTokenizer(stop_words=None)('我想买一台笔记本电脑')
    assert '笔记本电脑' in toks and '一台' not in toks and '我' in toks


@pytest.mark.parametrize('stops', [['耳机'], ('耳机',), {'耳机'}, frozenset({'耳机'})], ids=type)
def test_custom_stop_list_replaces_default(stops):
    assert JiebaTokenizer(stop_words=stops)('我的耳机') == ['我', '的']


def test_custom_stop_list_is_case_insensitive():
    assert JiebaTokenizer(stop_words=['THE'])('The Book') == ['book']
    assert JiebaTokenizer(stop_words=None)('The Book') == ['the', 'book']


def test_bad_stop_words_string():
    tok = JiebaTokenizer(stop_words='zh')            # the constructor only stores its arguments
    with pytest.raises(ValueError, match="`stop_words` must be 'default', None or an iterable of words, got 'zh'"):
        tok('耳机')

# ---------------------------------------------------------------------------------------------------------------
# User words and user dictionaries

@pytest.mark.parametrize('user_words', [['降噪耳机'], [('降噪耳机', 100)], [['降噪耳机', 100]], '降噪耳机',
                                        [('降噪耳机',)]], ids=repr)
def test_user_words_str_or_pairs(user_words):
    assert TOK('降噪耳机') == ['降噪', '耳机']
    assert JiebaTokenizer(user_words=user_words)('蓝牙降噪耳机') == ['蓝牙', '降噪耳机']


def test_user_words_with_latin_letters_stay_whole():
    custom = JiebaTokenizer(user_words=['小米14Pro', ('降噪耳机', 100)])
    assert custom('小米14Pro降噪耳机') == ['小米14pro', '降噪耳机']
    assert custom('小米14PRO降噪耳机') == ['小米14pro', '降噪耳机']   # matched after the same lower-casing
    assert TOK('小米14Pro降噪耳机') == ['小米', '14pro', '降噪', '耳机']


def test_user_words_change_only_their_instance():
    before_global = jieba.lcut('蓝牙降噪耳机')        # initialises jieba's global dictionary if needed
    earlier = JiebaTokenizer()
    earlier('耳机')
    custom = JiebaTokenizer(user_words=['降噪耳机', ('小米14Pro', 50)])
    assert custom('蓝牙降噪耳机') == ['蓝牙', '降噪耳机']
    later = JiebaTokenizer()
    for other in (earlier, later):
        assert other('蓝牙降噪耳机') == ['蓝牙', '降噪', '耳机']
        assert other('小米14Pro') == ['小米', '14pro']
    assert jieba.lcut('蓝牙降噪耳机') == before_global
    assert '降噪耳机' not in jieba.dt.FREQ and '小米14Pro' not in jieba.dt.FREQ


@pytest.mark.parametrize('bad', ['', '   ', (3, 10), (None, 1)], ids=repr)
def test_bad_user_words(bad):
    with pytest.raises(TypeError, match=r'`user_words` must hold words or \(word, freq\) pairs; got .* at position 1'):
        JiebaTokenizer(user_words=['耳机', bad])('耳机')


@pytest.mark.parametrize('bad', [3, None], ids=repr)
def test_non_iterable_user_word_gets_the_documented_message(bad):
    with pytest.raises(TypeError, match=r'`user_words` must hold words or \(word, freq\) pairs'):
        JiebaTokenizer(user_words=['耳机', bad])('耳机')


@pytest.fixture
def user_dict(tmp_path):
    path = tmp_path/'user_dict.txt'
    path.write_text('降噪耳机 100 n\n云闪付 50\n折叠屏\n', encoding='utf-8')   # word [freq] [tag], jieba's format
    return path


@pytest.mark.parametrize('as_', [str, Path, lambda p: [p], lambda p: [str(p)]], ids=['str', 'Path', '[Path]', '[str]'])
def test_user_dicts_file(user_dict, as_):
    assert TOK('蓝牙降噪耳机') == ['蓝牙', '降噪', '耳机'] and TOK('用云闪付') == ['用云', '闪付']
    tok = JiebaTokenizer(user_dicts=as_(user_dict))
    assert tok('蓝牙降噪耳机') == ['蓝牙', '降噪耳机']
    assert tok('用云闪付') == ['用', '云闪付']
    assert JiebaTokenizer()('蓝牙降噪耳机') == ['蓝牙', '降噪', '耳机']    # other instances unaffected
    assert '降噪耳机' not in jieba.dt.FREQ


def test_user_dicts_mixed_latin_word_kept_whole(tmp_path):
    path = tmp_path/'mixed.txt'
    path.write_text('小米14Pro 50 nz\n', encoding='utf-8')
    assert JiebaTokenizer(user_dicts=[path])('小米14Pro手机') == ['小米14pro', '手机']


def test_missing_user_dict_names_the_file(tmp_path):
    missing = tmp_path/'no_such_dict.txt'
    tok = JiebaTokenizer(user_dicts=[missing])      # the constructor only stores its arguments
    with pytest.raises(FileNotFoundError, match='no_such_dict.txt') as e: tok('耳机')
    assert str(missing) in str(e.value) and '`user_dicts`' in str(e.value)

# ---------------------------------------------------------------------------------------------------------------
# Errors

@pytest.mark.parametrize('mode', ['fast', 'ACCURATE', '', None, 1])
def test_bad_mode(mode):
    tok = JiebaTokenizer(mode=mode)
    with pytest.raises(ValueError, match=f"`mode` must be 'accurate' or 'search', got {mode!r}"): tok('耳机')


BAD_INPUTS = [(None, 'NoneType'), (float('nan'), 'float'), (3, 'int'), (b'bytes', 'bytes'), (['a'], 'list')]


@pytest.mark.parametrize('value, type_name', BAD_INPUTS, ids=[t for _, t in BAD_INPUTS])
def test_non_str_raises_type_error(value, type_name):
    for call in (TOK, TOK.tokenize, SEARCH):
        with pytest.raises(TypeError, match=f'`text` must be a str, got {type_name}'): call(value)


@pytest.mark.parametrize('value, type_name', BAD_INPUTS, ids=[t for _, t in BAD_INPUTS])
def test_tokenize_corpus_names_position(value, type_name):
    with pytest.raises(TypeError, match=f'`texts` must be a str, got {type_name} at position 2'):
        TOK.tokenize_corpus(['耳机', '手机', value])

# ---------------------------------------------------------------------------------------------------------------
# Corpora

def test_tokenize_corpus_matches_one_by_one():
    texts = [clean_text(t) for t in VARIED]
    assert TOK.tokenize_corpus(texts) == [TOK(t) for t in texts]
    assert TOK.tokenize_corpus(iter(texts)) == [TOK(t) for t in texts]     # any iterable
    assert TOK.tokenize_corpus([]) == []


def test_tokenize_corpus_on_sample_catalog():
    corpus = TOK.tokenize_corpus(clean_text(t) for t in sample_items().text)
    assert len(corpus) == 10 and all(corpus)
    assert '耳机' in corpus[2] and '电子书' in corpus[4] and 't恤' in corpus[9]


def test_tokenize_corpus_lists_are_independent():
    out = TOK.tokenize_corpus(['蓝牙耳机', '手机', '蓝牙耳机'])
    assert out[0] == out[2] == ['蓝牙', '耳机'] and out[0] is not out[2]
    out[0].append('changed')
    assert out[2] == ['蓝牙', '耳机']
    assert TOK.tokenize_corpus(['蓝牙耳机']) == [['蓝牙', '耳机']]
    assert TOK('蓝牙耳机') == ['蓝牙', '耳机']


def test_tokenize_result_is_a_fresh_list():
    first = TOK('蓝牙耳机')
    first.clear()
    assert TOK('蓝牙耳机') == ['蓝牙', '耳机']

# ---------------------------------------------------------------------------------------------------------------
# Round trips

@pytest.mark.parametrize('make', [lambda: JiebaTokenizer(), lambda: JiebaTokenizer(mode='search'),
                                  lambda: JiebaTokenizer(user_words=['小米14Pro', ('降噪耳机', 100)], stop_words=None)],
                         ids=['default', 'search', 'user_words'])
@pytest.mark.parametrize('used', [False, True], ids=['fresh', 'used'])
def test_pickle_round_trip(make, used):
    tok = make()
    expected = [tok(t) for t in VARIED]     # builds the jieba dictionary
    if not used: tok = make()
    data = pickle.dumps(tok)
    assert len(data) < 2_000, f'{len(data)} bytes: the jieba dictionary leaked into the pickle'
    restored = pickle.loads(data)
    assert all(v is None for k, v in vars(restored).items() if k.startswith('_')), 'private state was pickled'
    assert [restored(t) for t in VARIED] == expected


def test_pickle_size_does_not_grow_with_use():
    fresh = JiebaTokenizer(user_words=['降噪耳机'])
    size = len(pickle.dumps(fresh))
    fresh('蓝牙降噪耳机')
    assert len(pickle.dumps(fresh)) == size


def test_deepcopy():
    tok = JiebaTokenizer(user_words=['降噪耳机'])
    expected = [tok(t) for t in VARIED]
    dup = copy.deepcopy(tok)
    assert dup is not tok and (dup.mode, dup.user_words, dup.stop_words) == (tok.mode, tok.user_words, tok.stop_words)
    assert [dup(t) for t in VARIED] == expected
    assert dup('蓝牙降噪耳机') == ['蓝牙', '降噪耳机']


_CHILD = '''
import json, sys
from llmrec.clean import clean_text
from llmrec.tokens import JiebaTokenizer
texts = json.loads(sys.stdin.read())
out = {'accurate': [JiebaTokenizer()(clean_text(t)) for t in texts],
       'search': [JiebaTokenizer(mode='search')(clean_text(t)) for t in texts]}
print(json.dumps(out, ensure_ascii=True))
'''


def test_same_tokens_in_another_process(tmp_path):
    "Segmentation does not depend on the process (hash seed, dictionary cache, import order)."
    env = {**os.environ, 'PYTHONHASHSEED': '12345', 'PYTHONIOENCODING': 'utf-8'}
    res = subprocess.run([sys.executable, '-c', _CHILD], input=json.dumps(VARIED, ensure_ascii=True),
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr
    child = json.loads(res.stdout.strip().splitlines()[-1])
    assert child['accurate'] == [TOK(clean_text(t)) for t in VARIED]
    assert child['search'] == [SEARCH(clean_text(t)) for t in VARIED]

# ---------------------------------------------------------------------------------------------------------------
# Properties over any string

FRAGMENTS = ['<p>', '&amp;', 'https://example.com/a?b=1', 'ＭａｔｅＢｏｏｋ', '１４', '　', '筆記型電腦', '滑鼠', '👍🏻',
             '\u200b', 'e\u0301', '\ud800', '\x00', '\t', '\n', '我想买', '一台', '一副耳机', '两本书', 'T恤', 'U盘',
             'iPhone15', 'USB-C', '14.5', '的', 'the', 'The', 'İ', 'ß', 'ﬁ', '笔记本电脑', '智能手机', '，', '。']
any_text = st.text(alphabet=st.characters(codec=None))
noisy_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), any_text.filter(lambda s: len(s) <= 4)),
                      max_size=20).map(''.join)


def check_tokens(toks):
    assert isinstance(toks, list)
    for t in toks:
        assert isinstance(t, str) and t, f'empty or non-str token {t!r} in {toks}'
        assert not any(c.isspace() for c in t), f'whitespace inside token {t!r}'
        assert t not in STOP, f'stop word {t!r} in {toks}'
        assert t == t.lower(), f'token {t!r} is not lower-cased'


@PROPERTY
@given(st.one_of(any_text, noisy_text))
def test_any_string_raw_or_cleaned(s):
    "Raw or cleaned, any string gives non-empty, whitespace-free, lower-cased tokens without stop words, repeatably."
    for text in (s, clean_text(s)):
        toks = TOK(text)
        check_tokens(toks)
        assert TOK(text) == toks and TOK_AGAIN(text) == toks


@PROPERTY
@given(st.one_of(any_text, noisy_text))
def test_any_string_search_mode(s):
    text = clean_text(s)
    toks = SEARCH(text)
    check_tokens(toks)
    assert set(TOK(text)) <= set(toks)

# ---------------------------------------------------------------------------------------------------------------
# The fast paths give the tokens of the plain algorithm

import re, sys, unicodedata
from llmrec.tokens import (_ALNUM_I, _APART, _CASES_I, _PLACEHOLDER, _RE_CJK_QUANTITY_HINT, _base_dictionary, _dictionary_mixed_words,
                           _plain_whole_pattern, _re_not_plain, _whole_pattern, compound_parts, is_quantity, is_word,
                           split_latin, split_quantifier, whole_token_pattern)


def reference_tokens(tok, text):
    "The plain algorithm, step by step: what `JiebaTokenizer` (jieba backend) must return, only slower."
    tok('')                                                          # set up the private dictionary
    tk, stop = tok._jieba, {w.lower() for w in (stop_words() if tok.stop_words == 'default' else tok.stop_words or ())}
    words = [w if isinstance(w, str) else w[0] for w in tok.user_words]
    raw = []
    for piece, whole in split_latin(text, _plain_whole_pattern(_dictionary_mixed_words() + tuple(words))):
        if whole: raw.append(piece)
        else: raw += split_quantifier([t for t in tk.cut(piece, HMM=tok.hmm) if not t.isspace()], tk.FREQ)
    if tok.mode == 'search': raw = [s for t in raw for s in compound_parts(t, tk.FREQ) + [t]]
    lowered = (t.lower() for t in raw)
    return [t for t in lowered if t not in stop and any(unicodedata.category(c)[0] in 'LN' for c in t) and not is_quantity(t)]


REFERENCE_TOKENIZERS = {'accurate': TOK, 'search': SEARCH,
                        'user-words': JiebaTokenizer(user_words=['小米14Pro', ('降噪耳机', 100), '3个', 'İx', '+1s'],
                                                     stop_words=None)}
MORE_FRAGMENTS = FRAGMENTS + ['ΑΣ', 'Σ', 'İstanbul', 'ſ', 'K', '\r\n', '\u3400', '\u9fd6', '𠀀', '\uf900', '\ue000',
                              '+', '-', '%', '#', '_', '.', '...', '3个', '十部', '一 副耳机', 'A股', 'AT&T', 'C++', '小S', '江南Style']
tricky_text = st.lists(st.one_of(st.sampled_from(MORE_FRAGMENTS), any_text.filter(lambda s: len(s) <= 3)),
                       max_size=20).map(''.join)


@pytest.mark.parametrize('name', list(REFERENCE_TOKENIZERS))
def test_same_tokens_as_the_plain_algorithm_on_examples(name):
    tok = REFERENCE_TOKENIZERS[name]
    for text in VARIED + MORE_FRAGMENTS + [clean_text(t) for t in VARIED]:
        assert tok(text) == reference_tokens(tok, text), text


@PROPERTY
@given(st.one_of(any_text, tricky_text))
def test_same_tokens_as_the_plain_algorithm_on_any_string(s):
    for tok in REFERENCE_TOKENIZERS.values():
        for text in (s, clean_text(s)):
            assert tok(text) == reference_tokens(tok, text)


@pytest.mark.slow
def test_same_tokens_as_the_plain_algorithm_on_real_text(shared_data):
    from llmrec.data import load_kuairec, load_thucnews
    texts = list(load_thucnews(shared_data/'thucnews_titles').text[::4]) + list(load_kuairec(shared_data/'kuairec').text.dropna()[::8])
    for text in texts + [clean_text(t) for t in texts]:
        assert TOK(text) == reference_tokens(TOK, text), text


def test_is_word_is_unicode_letters_and_numbers_for_every_code_point():
    for c in map(chr, range(sys.maxunicode + 1)):
        assert is_word(c) == c.isalnum() == (unicodedata.category(c)[0] in 'LN'), hex(ord(c))


def test_ignorecase_classes_are_what_re_matches():
    "`_ALNUM_I` and `_CASES_I` spell out what [A-Za-z0-9] and each letter match under re.IGNORECASE."
    matched = ''.join(c for c in map(chr, range(sys.maxunicode + 1)) if re.match('[A-Za-z0-9]', c, re.I))
    assert re.fullmatch(f'[{_ALNUM_I}]+', matched) and len(matched) == 62 + 4
    for letter, cls in _CASES_I.items():
        assert set(cls) == {c for c in matched if re.match(letter, c, re.I)}
    for letter in 'abcdefghjlmnopqrtuvwxyz':
        assert {c for c in matched if re.match(letter, c, re.I)} == {letter, letter.upper()}


def test_lower_casing_a_text_is_lower_casing_its_characters_except_two():
    "Why `tokenize` may lower-case the text before cutting it: only İ (length) and Σ (context) behave otherwise."
    cased = [c for c in map(chr, range(sys.maxunicode + 1)) if c.lower() != c]
    assert [c for c in cased if len(c.lower()) != 1] == ['\u0130']
    odd = {c for c in cased for ctx in ('a' + c, c + 'a', 'A' + c + 'B', c + c)
           if ctx.lower() != ''.join(x.lower() for x in ctx)}
    assert odd == {'\u03a3'}
    assert TOK('ΑΣ Σ İPhone') == reference_tokens(TOK, 'ΑΣ Σ İPhone')


words_strategy = st.lists(st.one_of(st.sampled_from(['T恤', 'U盘', 'A股', 'AT&T', 'C++', 'c#', '4S店', '小S', 'sim卡', 'İx',
                                                     'ıab', 'ſ1', 'K3', 'Éa', 'ab', 'x', '1', '+1', '.a', 'a.', '中1', '1中',
                                                     '㐀1']),
                                    st.text(alphabet='aAbB1İıſKk中.-+é', min_size=1, max_size=4)), max_size=8)


@PROPERTY
@given(words_strategy, st.text(alphabet='aAbB1İıſKk中恤盘股.-+ é&#S小\u3400𠀀\ud800', max_size=24))
def test_fast_whole_pattern_is_the_plain_alternation(words, text):
    for apart in ('', _APART):
        fast, plain = _whole_pattern(words, apart), _plain_whole_pattern(words, apart)
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert fast.split(text) == plain.split(text)
    assert split_latin(text, whole_token_pattern(words)) == split_latin(text, _plain_whole_pattern(words))


def test_mixed_words_read_from_the_dictionary_file_match_the_loaded_dictionary():
    freq, _ = _base_dictionary()
    from llmrec.tokens import _RE_LATIN
    expected = {w for w, f in freq.items() if f and re.search('[A-Za-z0-9]', w) and not _RE_LATIN.fullmatch(w)}
    assert set(_dictionary_mixed_words()) == expected and {'T恤', 'U盘', 'SIM卡'} <= expected


@pytest.mark.parametrize('text', ['耳机' + _PLACEHOLDER + '手机', _PLACEHOLDER * 2, ' ' + _PLACEHOLDER + '，', '一' + _PLACEHOLDER + '台',
                                  '+' + _PLACEHOLDER + '-', '\r' + _PLACEHOLDER + '\n', '鹤' + _PLACEHOLDER + '绾'], ids=ascii)
@pytest.mark.parametrize('hmm', [True, False])
def test_jieba_keeps_the_placeholder_apart(text, hmm):
    "`tokenize` stands a private-use character in for each whole piece: jieba must yield it as a token of its own."
    import rjieba
    parts = text.split(_PLACEHOLDER)
    expected = [t for i, p in enumerate(parts) for t in ([_PLACEHOLDER] if i else []) + (jieba.lcut(p, HMM=hmm) if p else [])]
    assert jieba.lcut(text, HMM=hmm) == expected == rjieba.Jieba().cut(text, hmm)


@PROPERTY
@given(st.text(alphabet='笔记本电脑一副耳机这两本书个人的了，。！、“”（） \u3000·—：', max_size=30))
def test_plain_texts_take_the_short_path_with_the_same_tokens(s):
    assert _re_not_plain().search(s) is None
    quantity = _RE_CJK_QUANTITY_HINT.search(s) is not None
    assert TOK(s) == TOK._general_tokens(s, quantity) == reference_tokens(TOK, s)


@pytest.mark.parametrize('text', ['耳机5G', 'Abc', 'É', '1', '+', '.', '%', '\r', '★', '😀', '\ue000', '\u3400', '\ud800',
                                  '\u1680', 'ΑΣ'], ids=ascii)
def test_texts_that_are_not_plain(text):
    assert _re_not_plain().search('耳机' + text) is not None


def test_old_pickles_without_backend_still_load():
    state = {'mode': 'accurate', 'user_words': ['降噪耳机'], 'user_dicts': (), 'stop_words': 'default', 'hmm': True}
    tok = JiebaTokenizer.__new__(JiebaTokenizer)
    tok.__setstate__(state)                       # what unpickling a tokenizer pickled before `backend` existed does
    assert tok.backend == 'jieba' and tok('蓝牙降噪耳机') == ['蓝牙', '降噪耳机']


def test_tokenize_corpus_refuses_a_single_string():
    for bad in ('蓝牙耳机', b'bytes'):
        with pytest.raises(TypeError, match='`texts` must be a collection of documents, got a single'):
            TOK.tokenize_corpus(bad)
