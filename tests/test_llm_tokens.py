"The other tokenizers of `llmrec.tokens`: `LLMTokenizer`, `CharNgramTokenizer` and `JiebaTokenizer(backend='rjieba')`."
import copy, json, os, pickle, subprocess, sys
import pytest
from hypothesis import given, settings, strategies as st
from llmrec.clean import clean_text, stop_words
from llmrec.core import sample_items
from llmrec.tokens import CharNgramTokenizer, JiebaTokenizer, LLM_VOCABS, LLMTokenizer

LLM = LLMTokenizer()                 # shared by the tests that only read; the vocabulary is cached per process
LLM25 = LLMTokenizer('qwen2.5')
NGRAMS = CharNgramTokenizer()
JIEBA, RJIEBA = JiebaTokenizer(), JiebaTokenizer(backend='rjieba')
JIEBA_SEARCH, RJIEBA_SEARCH = JiebaTokenizer(mode='search'), JiebaTokenizer(mode='search', backend='rjieba')
STOP = frozenset(w.lower() for w in stop_words())
DOCS = [clean_text(t) for t in sample_items().text]

# Strings that are hard to get back exactly: surrogates (alone and as a pair), NUL, special-token text, combining
# marks (NFC would merge them), emoji with modifiers, rare characters split into byte tokens, newlines.
FRAGMENTS = ['\ud800', '\udfff', '\ud83d\ude00', '\x00', '<|endoftext|>', '<|im_start|>', 'e\u0301', 'A\u030a', '\u0301',
             '👍🏻', '👨‍👩‍👧', '🇨🇳', '𠀀', '鿿', '\r\n', '\t', ' ', '\u3000', '\ufeff', '\uffff', '笔记本电脑', 'iPhone15',
             '我想买一台笔记本电脑和一副降噪耳机', '，', '<0xe5>', '\U0010ffff']
any_text = st.text(alphabet=st.characters(codec=None))
noisy_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), any_text.filter(lambda s: len(s) <= 4)),
                      max_size=12).map(''.join)
PROPERTY = settings(max_examples=300, deadline=None, database=None, derandomize=True)

# ---------------------------------------------------------------------------------------------------------------
# LLMTokenizer: ids

@PROPERTY
@given(st.one_of(any_text, noisy_text))
def test_decode_encode_round_trip_any_string(s):
    ids = LLM.encode(s)
    assert all(isinstance(i, int) for i in ids)
    assert LLM.decode(ids) == s


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(st.one_of(any_text, noisy_text))
def test_qwen25_round_trip_any_string(s):
    assert LLM25.decode(LLM25.encode(s)) == s


@pytest.mark.parametrize('s', ['e\u0301', '<|endoftext|>', '\ud800', '\ud83d\ude00', 'a\x00b', 'A\u030a'], ids=ascii)
def test_round_trip_where_the_package_encode_is_not_exact(s):
    "The package's own `encode` applies NFC and reads special tokens; ours keeps every string as it is."
    assert LLM.decode(LLM.encode(s)) == s
    assert 248044 not in LLM.encode('<|endoftext|>')          # not the special token's id


def test_notebook_computer_is_one_qwen36_token():
    text = '我想买一台笔记本电脑和一副降噪耳机'
    pieces = [LLM.decode([i]) for i in LLM.encode(text)]
    assert '笔记本电脑' in pieces
    assert '笔记本电脑' in LLM(text) and '耳机' in LLM(text)


def test_qwen25_and_qwen36_differ_and_qwen35_is_qwen36():
    text = '我想买一台笔记本电脑和一副降噪耳机'
    assert LLM25.encode(text) != LLM.encode(text)
    assert '笔记本电脑' not in LLM25(text) and {'笔记本', '电脑'} <= set(LLM25(text))
    assert LLMTokenizer('qwen3.5').encode(text) == LLM.encode(text)
    assert LLM25.decode(LLM25.encode(text)) == LLM.decode(LLM.encode(text)) == text


@pytest.mark.parametrize('vocab', ['gpt-4', 'qwen3', 'Qwen3.6', '', None, 3])
def test_unknown_vocab_lists_the_available_ones(vocab):
    tok = LLMTokenizer(vocab)                   # the constructor only stores its arguments
    for call in (tok.encode, tok.tokenize, lambda s: tok.decode([1])):
        with pytest.raises(ValueError, match=rf"Unknown `vocab` {vocab!r}; available: \['qwen2.5', 'qwen3.5', 'qwen3.6'\]"):
            call('耳机')
    assert sorted(LLM_VOCABS) == ['qwen2.5', 'qwen3.5', 'qwen3.6']


@pytest.mark.parametrize('ids, error, message', [
    ([1, -5], ValueError, r'`ids` must hold token ids from 0 to 248076, got -5 at position 1'),
    ([248077], ValueError, r'got 248077 at position 0'),
    ([1, 'a'], TypeError, r'`ids` must hold int token ids, got str at position 1'),
    ([1.0], TypeError, r'got float at position 0'),
])
def test_decode_checks_ids(ids, error, message):
    with pytest.raises(error, match=message): LLM.decode(ids)


def test_decode_accepts_any_int_sequence_and_broken_bytes():
    import numpy as np
    ids = LLM.encode('耳机👍')
    assert LLM.decode(np.array(ids)) == LLM.decode(tuple(ids)) == LLM.decode(iter(ids)) == '耳机👍'
    assert LLM.decode(ids[:-1]).startswith('耳机') and LLM.decode(ids[:-1]).endswith('\ufffd')
    assert LLM.decode([]) == ''


@pytest.mark.parametrize('value, type_name', [(None, 'NoneType'), (3, 'int'), (b'x', 'bytes'), (['a'], 'list')])
def test_non_str_text_raises_type_error(value, type_name):
    for call in (LLM.encode, LLM.tokenize, LLM):
        with pytest.raises(TypeError, match=f'`text` must be a str, got {type_name}'): call(value)

# ---------------------------------------------------------------------------------------------------------------
# LLMTokenizer: feature strings

def check_features(toks, stop=STOP, lower=True):
    assert isinstance(toks, list)
    for t in toks:
        assert isinstance(t, str) and t and t == t.strip(), f'empty or untrimmed token {t!r}'
        assert any(c.isalnum() for c in t), f'punctuation-only token {t!r}'
        assert t not in stop, f'stop word {t!r}'
        if lower: assert t == t.lower(), f'token {t!r} is not lower-cased'


@PROPERTY
@given(st.one_of(any_text, noisy_text))
def test_features_of_any_string(s):
    for text in (s, clean_text(s)):
        toks = LLM(text)
        check_features(toks)
        assert LLM(text) == toks and LLMTokenizer()(text) == toks   # repeatable, and the same in a new instance


def test_features_trimmed_lower_cased_without_stop_words_and_quantities():
    assert LLM('iPhone 15 Pro Max') == ['iphone', '1', '5', 'pro', 'max']
    assert LLM('我想买一台笔记本电脑和一副降噪耳机') == ['我想', '笔记本电脑', '降噪', '耳机']   # 买, 和 stop; 一台 quantity
    assert LLM('The Best Book') == ['best', 'book']
    assert LLM('，。！？ ...') == [] and LLM('') == []


def test_lowercase_false_and_stop_words_none():
    tok = LLMTokenizer(lowercase=False, stop_words=None)
    assert tok('The Best Book') == ['The', 'Best', 'Book']
    assert LLMTokenizer(lowercase=False)('The Best') == ['The', 'Best']      # stop words compared as written: 'the'
    assert LLMTokenizer(stop_words=['耳机'])('我的耳机') == ['我的']
    with pytest.raises(ValueError, match="`stop_words` must be 'default', None or an iterable of words, got 'zh'"):
        LLMTokenizer(stop_words='zh')('耳机')


def test_partial_byte_tokens_have_a_stable_readable_form():
    assert LLM('👍') == ['<0xf0><0x9f>', '<0x91>', '<0x8d>']
    rare = '𠀀'                                       # a CJK extension B character: several byte tokens
    toks = LLM(rare)
    assert toks and all(t.startswith('<0x') for t in toks) and LLM(rare) == toks
    assert LLM('耳机' + rare)[0] == '耳机'
    assert LLM('\ud800') == ['<0xed>', '<0xa0>', '<0x80>']  # a lone surrogate, as its surrogatepass bytes


def test_llm_tokenize_corpus():
    texts = [*DOCS, DOCS[0], '']
    assert LLM.tokenize_corpus(texts) == [LLM(t) for t in texts]
    assert LLM.tokenize_corpus(iter(texts)) == [LLM(t) for t in texts]
    with pytest.raises(TypeError, match='`texts` must be a str, got float at position 1'):
        LLM.tokenize_corpus(['耳机', float('nan')])
    with pytest.raises(TypeError, match='got a single str; wrap it in a list'): LLM.tokenize_corpus('耳机')

# ---------------------------------------------------------------------------------------------------------------
# LLMTokenizer: round trips

@pytest.mark.parametrize('used', [False, True], ids=['fresh', 'used'])
def test_llm_pickle_small_and_same_tokens(used):
    tok = LLMTokenizer('qwen2.5', stop_words=['耳机'], lowercase=False)
    expected = [tok(t) for t in DOCS]
    if not used: tok = LLMTokenizer('qwen2.5', stop_words=['耳机'], lowercase=False)
    data = pickle.dumps(tok)
    assert len(data) < 500, f'{len(data)} bytes: the vocabulary leaked into the pickle'
    restored = pickle.loads(data)
    assert restored._enc is None and (restored.vocab, restored.lowercase) == ('qwen2.5', False)
    assert [restored(t) for t in DOCS] == expected
    assert restored.decode(restored.encode(DOCS[1])) == DOCS[1]


def test_llm_deepcopy():
    tok = LLMTokenizer(stop_words=['耳机'])
    expected = [tok(t) for t in DOCS]
    dup = copy.deepcopy(tok)
    assert dup is not tok and dup.stop_words == ['耳机'] and dup._enc is None
    assert [dup(t) for t in DOCS] == expected


_CHILD = '''
import json, sys
from llmrec.tokens import LLMTokenizer
texts = json.loads(sys.stdin.read())
print(json.dumps({v: [LLMTokenizer(v).encode(t) for t in texts] for v in ('qwen3.6', 'qwen2.5')}))
'''


def test_same_ids_in_another_process(tmp_path):
    texts = [*DOCS, '我想买一台笔记本电脑和一副降噪耳机', 'e\u0301 <|endoftext|> \x00 👍', '\ud800x']
    env = {**os.environ, 'PYTHONHASHSEED': '4321', 'PYTHONIOENCODING': 'utf-8'}
    res = subprocess.run([sys.executable, '-c', _CHILD], input=json.dumps(texts), capture_output=True, text=True,
                         env=env, cwd=tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr
    child = json.loads(res.stdout.strip().splitlines()[-1])
    assert child['qwen3.6'] == [LLM.encode(t) for t in texts]
    assert child['qwen2.5'] == [LLM25.encode(t) for t in texts]

# ---------------------------------------------------------------------------------------------------------------
# CharNgramTokenizer

@pytest.mark.parametrize('text, expected', [
    ('蓝牙耳机', ['蓝', '牙', '耳', '机', '蓝牙', '牙耳', '耳机']),
    ('耳机，手机', ['耳', '机', '耳机', '手', '机', '手机']),                 # no 机手 across the comma
    ('耳机 手机', ['耳', '机', '耳机', '手', '机', '手机']),                  # nor across a space
    ('iPhone15手机', ['iphone15', '手', '机', '手机']),                       # Latin runs whole, lower-cased
    ('USB-C接口', ['usb-c', '接', '口', '接口']),
    ('14.5英寸', ['14.5', '英', '寸', '英寸']),
    ('我的耳机', ['耳', '机', '我的', '的耳', '耳机']),                       # stop words: unigrams only
    ('The Book', ['book']),
    ('', []), ('，。 ', []),
])
def test_char_ngrams(text, expected):
    assert NGRAMS(text) == expected


def test_char_ngram_ranges_and_stop_words():
    assert CharNgramTokenizer((1, 1))('蓝牙耳机') == ['蓝', '牙', '耳', '机']
    assert CharNgramTokenizer((2, 3))('蓝牙耳机') == ['蓝牙', '牙耳', '耳机', '蓝牙耳', '牙耳机']
    assert CharNgramTokenizer((3, 5))('耳机') == []
    assert CharNgramTokenizer(stop_words=None)('我的') == ['我', '的', '我的']
    assert CharNgramTokenizer(stop_words=['耳'])('耳机') == ['机', '耳机']
    assert CharNgramTokenizer([1, 2])('耳机') == NGRAMS('耳机')


@pytest.mark.parametrize('bad', [(2, 1), (0, 2), (1,), (1, 2, 3), 2, '12', (1.0, 2), (True, 2), None], ids=repr)
def test_char_ngram_range_validation(bad):
    tok = CharNgramTokenizer(bad)               # the constructor only stores its arguments
    with pytest.raises(ValueError, match=r'`ngram_range` must be a pair \(min_n, max_n\) of ints with 1 <= min_n <= max_n'):
        tok('耳机')


@PROPERTY
@given(st.one_of(any_text, noisy_text))
def test_char_ngrams_of_any_string(s):
    for text in (s, clean_text(s)):
        toks = NGRAMS(text)
        assert all(t and not any(c.isspace() for c in t) and any(c.isalnum() for c in t) for t in toks)
        assert all(t == t.lower() for t in toks) and NGRAMS(text) == toks
        assert not {t for t in toks if len(t) == 1} & STOP


def test_char_ngram_pickle_and_corpus():
    tok = CharNgramTokenizer((1, 3), stop_words=['耳'])
    expected = [tok(t) for t in DOCS]
    data = pickle.dumps(tok)
    assert len(data) < 300
    assert [pickle.loads(data)(t) for t in DOCS] == expected == [copy.deepcopy(tok)(t) for t in DOCS]
    assert tok.tokenize_corpus(DOCS + DOCS[:1]) == expected + expected[:1]
    with pytest.raises(TypeError, match='`texts` must be a str, got NoneType at position 0'): tok.tokenize_corpus([None])

# ---------------------------------------------------------------------------------------------------------------
# JiebaTokenizer(backend='rjieba'): the same tokens as the jieba backend

TRICKY = ['我想买一台笔记本电脑和一副耳机', '一 副耳机', '这本书和那块表', '两本书', '三件T恤', '我个人觉得', '十部手机',
          '买了5部手机', '一台', '半双袜子', '每个人', 'iPhone15ProMax 128GB 5G手机', 'RTX4090显卡', 'USB-C接口', 'Wi-Fi6路由器',
          '14.5英寸', '3.5mm耳机', '12GB+256GB', 'A股大涨', 'AT&T', 'C++编程', '小S和大S', '阿Q正传', '4S店', '1号店',
          '江南Style', '纯棉T恤', 't恤', '买个U盘', 'SIM卡', 'IPHONE15PROMAX', 'İstanbul', 'ΑΣ Σ', 'Straße', 'ＭａｔｅＢｏｏｋ',
          '筆記型電腦', '🍎手机', '\ud800耳机', '耳机\ue000手机', '㐀耳机𠀀', '鿖鿿', '\u200b耳机', '耳机\r\n手机', 'e\u0301', '',
          '   ', '，。！', '...', '##话题#', '100%鲜榨橙汁', '2012年硕士研究生目录', '涿州翔天万和城70-119平米2-3居',
          '高速大容量硬盘 东芝M600-02S报价7799', 'Baird调升A.O.史密斯目标价', '小米14Pro降噪耳机', *DOCS]
USER_WORDS = ['小米14Pro', ('降噪耳机', 100), 'A股市场', '云闪付', ('一副', 5), 'İx', 'sim卡', '+1s']


CONFIGS = {'accurate': {}, 'search': {'mode': 'search'}, 'no-hmm': {'hmm': False}, 'no-stop': {'stop_words': None},
           'user-words': {'user_words': USER_WORDS}, 'user-words-search': {'user_words': USER_WORDS, 'mode': 'search'}}
_PAIRS = {}


def backend_pair(name):
    "The jieba and rjieba tokenizers of one configuration, built once per test session."
    if name not in _PAIRS: _PAIRS[name] = JiebaTokenizer(**CONFIGS[name]), JiebaTokenizer(backend='rjieba', **CONFIGS[name])
    return _PAIRS[name]


@pytest.mark.parametrize('text', TRICKY, ids=lambda s: ascii(s)[:40])
@pytest.mark.parametrize('config', list(CONFIGS))
def test_rjieba_same_tokens_as_jieba(config, text):
    slow, fast = backend_pair(config)
    assert fast(text) == slow(text)


@PROPERTY
@given(st.one_of(any_text, noisy_text, st.lists(st.sampled_from(TRICKY), max_size=5).map(' '.join)))
def test_rjieba_same_tokens_as_jieba_on_any_string(s):
    for text in (s, clean_text(s)):
        assert RJIEBA(text) == JIEBA(text)
        assert RJIEBA_SEARCH(text) == JIEBA_SEARCH(text)


def test_rjieba_user_words_change_only_their_instance():
    earlier = JiebaTokenizer(backend='rjieba')
    earlier('耳机')
    custom = JiebaTokenizer(user_words=['降噪耳机', ('小米14Pro', 50)], backend='rjieba')
    assert custom('蓝牙降噪耳机') == ['蓝牙', '降噪耳机'] and custom('小米14Pro') == ['小米14pro']
    later = JiebaTokenizer(backend='rjieba')
    for other in (earlier, later, RJIEBA):
        assert other('蓝牙降噪耳机') == ['蓝牙', '降噪', '耳机']
        assert other('小米14Pro') == ['小米', '14pro']
    import rjieba
    assert not rjieba.has_word('降噪耳机')                                     # the module's own instance is untouched


def test_rjieba_user_dict_file(tmp_path):
    path = tmp_path/'dict.txt'
    path.write_bytes('\ufeff降噪耳机 100 n\r\n云闪付 50\n\n折叠屏\n小米14Pro 3 nz\n'.encode('utf-8'))
    slow, fast = JiebaTokenizer(user_dicts=[path]), JiebaTokenizer(user_dicts=path, backend='rjieba')
    for text in ['蓝牙降噪耳机', '用云闪付', '折叠屏手机', '小米14Pro手机']: assert fast(text) == slow(text)
    assert fast('用云闪付') == ['用', '云闪付'] and fast('小米14Pro手机') == ['小米14pro', '手机']
    bad = tmp_path/'gbk.txt'
    bad.write_bytes('降噪耳机 100\n'.encode('gbk'))
    with pytest.raises(ValueError, match=r"`user_dicts`: dictionary file '.*gbk.txt' must be UTF-8"):
        JiebaTokenizer(user_dicts=[bad], backend='rjieba')('耳机')


@pytest.mark.parametrize('used', [False, True], ids=['fresh', 'used'])
def test_rjieba_pickle(used):
    make = lambda: JiebaTokenizer(user_words=['小米14Pro', ('降噪耳机', 100)], mode='search', backend='rjieba')
    tok = make()
    expected = [tok(t) for t in TRICKY]
    if not used: tok = make()
    data = pickle.dumps(tok)
    assert len(data) < 2_000, f'{len(data)} bytes: the jieba-rs dictionary leaked into the pickle'
    restored = pickle.loads(data)
    assert restored.backend == 'rjieba' and restored._jieba is None and restored._state is None
    assert [restored(t) for t in TRICKY] == expected
    dup = copy.deepcopy(tok)
    assert dup is not tok and [dup(t) for t in TRICKY] == expected


def test_bad_backend():
    tok = JiebaTokenizer(backend='pkuseg')
    with pytest.raises(ValueError, match="`backend` must be 'jieba' or 'rjieba', got 'pkuseg'"): tok('耳机')


@pytest.mark.parametrize('backend', ['jieba', 'rjieba'])
def test_tokenize_corpus_tokenizes_each_distinct_string_once(backend, monkeypatch):
    tok = JiebaTokenizer(backend=backend)
    calls = []
    real = tok.tokenize
    monkeypatch.setattr(tok, 'tokenize', lambda text: calls.append(text) or real(text))
    texts = ['蓝牙耳机', '手机', '蓝牙耳机', '手机', '', '']
    assert tok.tokenize_corpus(texts) == [real(t) for t in texts]
    assert sorted(calls) == sorted(set(texts))


@pytest.mark.slow
def test_rjieba_agrees_with_jieba_on_thucnews_headlines(shared_data):
    "Both backends on 20,000 real news headlines: identical token lists for at least 99.5% of them."
    from llmrec.data import load_thucnews
    texts = [clean_text(t) for t in load_thucnews(shared_data/'thucnews_titles').text]
    assert len(texts) == 20_000
    slow, fast = JIEBA.tokenize_corpus(texts), RJIEBA.tokenize_corpus(texts)
    diffs = [(t, a, b) for t, a, b in zip(texts, slow, fast) if a != b]
    share = 1 - len(diffs) / len(texts)
    print(f'rjieba = jieba on {len(texts) - len(diffs)} of {len(texts)} THUCNews headlines ({share:.2%}); '
          f'differences: {diffs[:5]}')
    assert share >= 0.995, f'only {share:.2%} agree; e.g. {diffs[:5]}'
