"Edge cases, round trips and properties of `llmrec.normalize`: stems, units, aliases and `NormalizedTokenizer`."
import pickle, threading
from concurrent.futures import ThreadPoolExecutor
import jieba
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.base import clone
from llmrec.clean import clean_text
from llmrec.core import sample_items
from llmrec.features import tfidf_vectorizer
from llmrec.normalize import (DEFAULT_ALIASES, GB_SIZES, TB_SIZES, UNSTEMMED, NormalizedTokenizer, TokenNormalizer,
                              stem_english, unify_units)
from llmrec.tokens import JiebaTokenizer

NORM = TokenNormalizer()
NTOK = NormalizedTokenizer()                                  # accurate mode, default aliases
NSEARCH = NormalizedTokenizer(JiebaTokenizer(mode='search'))
PROPERTY = settings(max_examples=300, deadline=None, database=None, derandomize=True)

# ---------------------------------------------------------------------------------------------------------------
# English stems

@pytest.mark.parametrize('token, stem', [
    ('headphones', 'headphon'), ('headphone', 'headphon'), ('running', 'run'), ('runs', 'run'), ('laptops', 'laptop'),
    ('cameras', 'camera'), ('gaming', 'game'), ('phones', 'phone'), ('charging', 'charg'), ('andee', 'and'),
    ('oleds', 'oled'), ('a', 'a'), ('s', 's'),
])
def test_stem_english_stems_lower_case_ascii_words(token, stem):
    assert stem_english(token) == stem


@pytest.mark.parametrize('token', ['rtx4090', '128gb', 'iphone15promax', 'usb-c', 'wi-fi6', '3.5mm', '5g', '耳机',
                                   '笔记本电脑', 't恤', 'u盘', 'Headphones', 'HEADPHONES', 'café', 'naïve', '',
                                   *sorted(UNSTEMMED)])
def test_stem_english_leaves_other_tokens_alone(token):
    assert stem_english(token) == token


@PROPERTY
@given(st.text(alphabet='abcdefghijklmnopqrstuvwxyz', min_size=1, max_size=15))
def test_stem_english_is_idempotent_and_never_empty(word):
    stem = stem_english(word)
    assert stem and stem_english(stem) == stem


def test_stem_english_is_the_same_in_threads():
    words = ['headphones', 'running', 'laptops', 'cameras', 'gaming', 'andee'] * 50
    with ThreadPoolExecutor(4) as ex: in_threads = list(ex.map(stem_english, words))
    assert in_threads == [stem_english(w) for w in words]


@pytest.mark.parametrize('bad', [None, 3, b'headphones', ['headphones']])
def test_stem_english_rejects_non_str(bad):
    with pytest.raises(TypeError, match='`token` must be a str'): stem_english(bad)

# ---------------------------------------------------------------------------------------------------------------
# Units

@pytest.mark.parametrize('token, expected', [
    ('128g', '128gb'), ('16g', '16gb'), ('8g', '8gb'), ('6g', '6gb'), ('12g', '12gb'), ('18g', '18gb'), ('24g', '24gb'),
    ('48g', '48gb'), ('256g', '256gb'), ('512g', '512gb'), ('1024g', '1024gb'), ('2048g', '2048gb'),
    ('1t', '1tb'), ('2t', '2tb'), ('4t', '4tb'), ('24t', '24tb'),
    # already full, or not a storage size
    ('128gb', '128gb'), ('512gb', '512gb'), ('2tb', '2tb'), ('1tb', '1tb'), ('1024gb', '1024gb'),
    ('5g', '5g'), ('4g', '4g'), ('3g', '3g'), ('2g', '2g'), ('1g', '1g'), ('500g', '500g'), ('250g', '250g'),
    ('4096g', '4096g'), ('25t', '25t'), ('0t', '0t'), ('1.5g', '1.5g'), ('g', 'g'), ('t', 't'),
    ('6000mah', '6000mah'), ('65w', '65w'), ('4k', '4k'), ('128g内存', '128g内存'), ('rtx4090', 'rtx4090'),
    ('128G', '128G'),                       # unify_units expects lower case; TokenNormalizer lower-cases first
])
def test_unify_units(token, expected):
    assert unify_units(token) == expected
    assert unify_units(unify_units(token)) == unify_units(token)


def test_network_generations_are_not_sizes():
    assert not {2, 3, 4, 5} & GB_SIZES
    assert NTOK('5G手机 4G网络') == ['5g', '手机', '4g', '网络']


@pytest.mark.parametrize('text, expected', [('128G', ['128gb']), ('128g', ['128gb']), ('128GB', ['128gb']),
                                            ('16G+512G', ['16gb', '512gb']), ('1T固态硬盘', ['1tb', '固态', '硬盘']),
                                            ('6000mAh', ['6000mah']), ('65W快充', ['65w', '快充'])])
def test_units_through_the_tokenizer(text, expected):
    assert NTOK(text) == expected


def test_units_can_be_switched_off():
    assert TokenNormalizer(units=False)(['128g', '1t']) == ['128g', '1t']
    assert 1 in TB_SIZES and 128 in GB_SIZES

# ---------------------------------------------------------------------------------------------------------------
# Aliases

@pytest.mark.parametrize('token, expected', [
    ('手提电脑', ['笔记本电脑']), ('笔电', ['笔记本电脑']), ('laptop', ['笔记本电脑']), ('Laptops', ['笔记本电脑']),
    ('笔记本电脑', ['笔记本电脑']), ('笔记本', ['笔记本']), ('notebook', ['notebook']),
    ('游戏本', ['游戏', '笔记本电脑']), ('移动电话', ['手机']), ('phones', ['手机']), ('智能手机', ['智能', '手机']),
    ('蓝牙耳机', ['蓝牙', '耳机']), ('无线耳机', ['无线', '耳机']), ('真无线耳机', ['无线', '耳机']),
    ('headphones', ['耳机']), ('earbuds', ['耳机']), ('平板', ['平板电脑']), ('pad', ['平板电脑']),
    ('tablets', ['平板电脑']), ('电纸书', ['电子书', '阅读器']), ('墨水屏阅读器', ['电子书', '阅读器']),
    ('智能手环', ['智能', '手环']), ('手环', ['手环']), ('单反', ['单反', '相机']), ('微单', ['微单', '相机']),
    ('dslr', ['单反', '相机']), ('照相机', ['相机']), ('橙汁', ['橙汁', '果汁']), ('优盘', ['u盘']),
    ('手提电脑包', ['手提电脑包']), ('蓝牙耳机盒', ['蓝牙耳机盒']),               # whole tokens only
])
def test_default_aliases(token, expected):
    assert NORM.normalize_token(token) == expected


def test_headphone_kinds_share_the_head_noun():
    kinds = ['蓝牙耳机', '无线耳机', '真无线耳机', '降噪耳机', 'tws', 'headphones', '耳麦']
    assert all('耳机' in NORM.normalize_token(k) for k in kinds)
    assert NORM.normalize_token('蓝牙耳机') != NORM.normalize_token('无线耳机')


def test_default_aliases_resolve_to_normal_tokens():
    table = NORM.alias_map()
    assert len(table) == len(DEFAULT_ALIASES)
    for key, tokens in table.items():
        assert tokens and all(isinstance(t, str) and t for t in tokens)
        assert NORM(list(tokens)) == list(tokens), key          # already normal: a second pass changes nothing
        assert key not in tokens[1:], key


def test_expansion_is_in_place_and_keeps_order():
    assert NORM(['a', '电纸书', 'b', '手提电脑', 'c']) == ['a', '电子书', '阅读器', 'b', '笔记本电脑', 'c']


@pytest.mark.parametrize('tokens, expected', [
    (['单反'], ['单反', '相机']), (['单反', '相机'], ['单反', '相机']), (['单反', '照相机'], ['单反', '相机']),
    (['单反', '单反'], ['单反', '相机', '单反', '相机']), (['单反相机'], ['单反', '相机']),
    (['相机', '单反'], ['相机', '单反', '相机']),
])
def test_category_is_added_once_after_its_word(tokens, expected):
    assert NORM(tokens) == expected


@pytest.mark.parametrize('tokens, expected', [
    (['无线', '耳机', '无线耳机'], ['无线', '耳机']),                                   # search mode: parts, then compound
    (['电纸书', '电纸书'], ['电子书', '阅读器', '电子书', '阅读器']),                     # two expansions both count
    (['电子书', '阅读器', '电纸书'], ['电子书', '阅读器']),
    (['耳机', '无线耳机'], ['耳机', '无线', '耳机']),
])
def test_expansion_is_not_inserted_after_its_parts(tokens, expected):
    assert NORM(tokens) == expected


def test_user_aliases_merge_over_default():
    mine = TokenNormalizer(aliases={'本本': '手提电脑', 'AirPods': ('airpods', '耳机'), '平板': '平板', 'Phone': '电话'})
    assert mine(['本本', 'airpods', '平板', 'phones', '手提电脑']) == ['笔记本电脑', 'airpod', '耳机', '平板', '电话', '笔记本电脑']
    assert NORM(['平板', 'phones']) == ['平板电脑', '手机']            # the default is not changed by a user map
    assert mine.alias_map()['本本'] == ('笔记本电脑',) and '平板' not in mine.alias_map()


def test_aliases_none_disables_them_but_not_stems_or_units():
    off = TokenNormalizer(aliases=None)
    assert off.alias_map() == {}
    assert off(['手提电脑', '电纸书', 'headphones', '128g']) == ['手提电脑', '电纸书', 'headphon', '128gb']
    chinese_keys = [k for k in DEFAULT_ALIASES if not k.isascii()]
    assert off(chinese_keys) == chinese_keys


@pytest.mark.parametrize('aliases, error, message', [
    (['手提电脑'], TypeError, "`aliases` must be 'default', None or a dict"),
    ('defualt', ValueError, "got 'defualt'"),
    ({3: '手机'}, TypeError, '`aliases` keys must be str, got int'),
    ({None: '手机'}, TypeError, '`aliases` keys must be str, got NoneType'),
    ({'本本': 3}, TypeError, "`aliases['本本']` must be a str or a non-empty tuple of str, got 3"),
    ({'本本': ()}, TypeError, 'non-empty tuple of str, got ()'),
    ({'本本': ('笔记本电脑', 3)}, TypeError, "`aliases['本本']` must be a str"),
    ({'本本': {'笔记本电脑'}}, TypeError, "`aliases['本本']` must be a str"),
    ({'本本': ''}, ValueError, "'' is not one token"),
    ({'本本': '笔记本 电脑'}, ValueError, "'笔记本 电脑' is not one token"),
    ({'手提 电脑': '笔记本电脑'}, ValueError, "'手提 电脑' is not one token"),
    ({'甲': '乙', '乙': '甲'}, ValueError, 'lead back to their own word: 甲 → 乙 → 甲'),
    ({'甲': ('乙', '甲')}, ValueError, '甲 → 甲'),
    ({'laptop': '手提电脑', '手提电脑': 'laptop'}, ValueError, 'lead back to their own word'),
    ({'Phones': '电话', 'phone': '手机'}, ValueError, "(both 'phone' once normalised) to different tokens"),
])
def test_bad_aliases_are_rejected_on_first_use(aliases, error, message):
    normalizer = TokenNormalizer(aliases=aliases)                 # the constructor only stores
    with pytest.raises(error, match=None) as info: normalizer(['耳机'])
    assert message in str(info.value)


@pytest.mark.parametrize('tokens, error, message', [
    ('手提电脑', TypeError, 'takes a list of tokens, got the str'),
    (['耳机', None], TypeError, '`tokens` must be a str, got NoneType at position 1'),
    ([3], TypeError, 'got int at position 0'),
])
def test_normalizer_input_is_checked(tokens, error, message):
    with pytest.raises(error) as info: NORM(tokens)
    assert message in str(info.value)


def test_normalizer_takes_any_iterable_of_tokens():
    assert NORM(t for t in ['手提电脑', '128g']) == ['笔记本电脑', '128gb']
    assert NORM(('耳机',)) == ['耳机'] and NORM([]) == []

# ---------------------------------------------------------------------------------------------------------------
# NormalizedTokenizer on sample texts

@pytest.mark.parametrize('text, expected', [
    ('我想买一台手提电脑和一副无线耳机', ['笔记本电脑', '无线', '耳机']),
    ('电纸书和墨水屏阅读器', ['电子书', '阅读器', '电子书', '阅读器']),
    ('iPhone15ProMax 128G 5G手机', ['iphone15promax', '128gb', '5g', '手机']),
    ('5G智能手机', ['5g', '智能', '手机']),
    ('平板电脑', ['平板电脑', '电脑']),
    ('蓝牙耳机', ['蓝牙', '耳机']),
    ('游戏本和轻薄本', ['游戏', '笔记本电脑', '轻薄', '笔记本电脑']),
    ('单反相机', ['单反', '相机']),
    ('微单相机', ['微单', '相机']),
    ('wireless headphones for running', ['无线', '耳机', 'run']),
    ('The best laptops for gaming', ['best', '笔记本电脑', 'game']),
    ('', []), ('   ', []), ('的了吗', []),
])
def test_accurate_mode(text, expected):
    assert NTOK(text) == expected


@pytest.mark.parametrize('text, expected', [
    ('手提电脑和智能手机', ['手提', '电脑', '笔记本电脑', '智能', '手机']),
    ('无线耳机和单反相机', ['无线', '耳机', '单反', '相机']),
    ('笔记本电脑', ['笔记本', '电脑', '笔记本电脑']),
    ('电纸书', ['电子书', '阅读器']),
    ('蓝牙耳机', ['蓝牙', '耳机']),
    ('128G 5G手机', ['128gb', '5g', '手机']),
])
def test_search_mode(text, expected):
    assert NSEARCH(text) == expected


def test_sample_catalog_tokens():
    corpus = NTOK.tokenize_corpus([clean_text(t) for t in sample_items().text])
    expected = {0: '笔记本电脑', 1: '手机', 2: '耳机', 3: '平板电脑', 4: '阅读器', 6: '相机', 8: '果汁', 9: 't恤'}
    for row, token in expected.items(): assert token in corpus[row], (row, corpus[row])
    assert '128gb' in corpus[1] and '5g' in corpus[1] and '16gb' in corpus[0]


def test_any_callable_tokenizer_can_be_wrapped():
    assert NormalizedTokenizer(str.split)('Laptops 128G the') == ['笔记本电脑', '128gb', 'the']   # no stop words to carry
    assert NormalizedTokenizer(lambda s: list(s))('耳机') == ['耳', '机']


class CharBigrams:
    "A tokenizer without user words or stop words, in the style of `CharNgramTokenizer`."
    def __init__(self, n=2): self.n = n
    def __call__(self, text): return [text[i:i + self.n] for i in range(len(text) - self.n + 1)]


class Unrebuildable:
    "Takes `user_words` but does not store it under that name: cannot be rebuilt, so it is used as it is."
    def __init__(self, user_words=()): self.words = user_words
    def __call__(self, text): return text.split()


def test_tokenizers_without_user_words_are_used_as_given():
    assert NormalizedTokenizer(CharBigrams())('电纸书') == ['电纸', '纸书']
    wrapped = NormalizedTokenizer(Unrebuildable())
    assert wrapped('电纸书 128g') == ['电子书', '阅读器', '128gb']
    assert wrapped._inner is wrapped.tokenizer


def test_non_callables_are_rejected():
    with pytest.raises(TypeError, match='`tokenizer` must be a callable str → list\\[str\\], got str'):
        NormalizedTokenizer('jieba')('耳机')
    with pytest.raises(TypeError, match='`normalizer` must be a callable list\\[str\\] → list\\[str\\], got dict'):
        NormalizedTokenizer(normalizer={'a': 'b'})('耳机')


def test_custom_normalizer_without_alias_map():
    upper = NormalizedTokenizer(normalizer=lambda toks: [t.upper() for t in toks])
    assert upper('iphone 耳机') == ['IPHONE', '耳机']


def test_bad_text_and_corpus():
    with pytest.raises(TypeError, match='`text` must be a str, got NoneType'): NTOK(None)
    with pytest.raises(TypeError, match='`texts` must be a str, got int at position 1'): NTOK.tokenize_corpus(['耳机', 3])
    with pytest.raises(TypeError, match='got float at position 2'): NTOK.tokenize_corpus(['耳机', '手机', float('nan')])


class Counting:
    "A tokenizer that counts how often it is called."
    def __init__(self): self.calls = 0
    def __call__(self, text): self.calls += 1; return text.split()


def test_tokenize_corpus_segments_each_distinct_string_once():
    counting = Counting()
    wrapped = NormalizedTokenizer(counting, TokenNormalizer(aliases=None))
    out = wrapped.tokenize_corpus(['a b', 'c', 'a b', 'a b', 'c'])
    assert out == [['a', 'b'], ['c'], ['a', 'b'], ['a', 'b'], ['c']]
    assert counting.calls == 2
    out[0].append('x')
    assert out[2] == ['a', 'b']                                 # each row is its own list


def test_tokenize_and_call_agree():
    text = '手提电脑 128G headphones'
    assert NTOK.tokenize(text) == NTOK(text) == NTOK.tokenize_corpus([text])[0]

# ---------------------------------------------------------------------------------------------------------------
# Stop words are compared in normal form

@pytest.mark.parametrize('text, dropped', [('recommends', 'recommend'), ('recommended', 'recommend'),
                                           ('buying', 'buy'), ('wanted', 'want')])
def test_english_stop_words_are_stemmed(text, dropped):
    assert JiebaTokenizer()(text) == [text]                     # the wrapped tokenizer alone keeps the inflected form
    assert NORM([text]) == [dropped]                            # ... whose normal form is that of a stop word
    assert NTOK(text) == []


def test_stop_word_stops_its_whole_alias_class():
    tok = NormalizedTokenizer(JiebaTokenizer(stop_words=['Laptops']))
    assert tok('laptop 手提电脑 笔记本电脑 耳机') == ['耳机']
    assert JiebaTokenizer(stop_words=['Laptops'])('laptop 耳机') == ['laptop', '耳机']


def test_expanding_stop_word_does_not_stop_its_parts():
    tok = NormalizedTokenizer(JiebaTokenizer(stop_words=['无线耳机']))
    assert tok('无线耳机和降噪耳机') == ['和', '降噪', '耳机']        # 无线耳机 dropped as written; 耳机 kept


def test_no_stop_words():
    tok = NormalizedTokenizer(JiebaTokenizer(stop_words=None))
    assert tok('the best laptops') == ['the', 'best', '笔记本电脑']


def test_default_stop_forms_do_not_hit_canonical_tokens():
    canon = {t for tokens in NORM.alias_map().values() for t in tokens}
    NTOK('')
    assert not canon & NTOK._stop

# ---------------------------------------------------------------------------------------------------------------
# The caller's tokenizer and jieba's global dictionary are never changed

def test_callers_tokenizer_is_unchanged():
    words = ('小米手提电脑', ('AirPods', 10))
    mine = JiebaTokenizer(user_words=words, mode='search')
    before = [mine(t) for t in ['电纸书', '墨水屏阅读器', '小米手提电脑和AirPods', '游戏本']]
    wrapped = NormalizedTokenizer(mine)
    assert wrapped('小米手提电脑，电纸书和AirPods') == ['小米', '手提', '电脑', '笔记本电脑', '小米手提电脑',
                                                    '电子书', '阅读器', 'airpod']
    assert mine.user_words is words and mine.user_words == ('小米手提电脑', ('AirPods', 10))
    assert mine.mode == 'search'
    assert [mine(t) for t in ['电纸书', '墨水屏阅读器', '小米手提电脑和AirPods', '游戏本']] == before
    assert mine('电纸书') == ['电纸', '书']
    assert wrapped._inner is not mine


def test_alias_words_are_added_only_to_the_private_copy():
    NTOK('')
    added = set(NTOK._inner.user_words)
    assert {'电纸书', '墨水屏阅读器', '轻薄本', '游戏本'} <= added
    assert not {'蓝牙耳机', '平板', '单反', '智能手环'} & added      # already segmented into their normal tokens


def test_global_jieba_untouched():
    size, initialized = len(jieba.dt.FREQ), jieba.dt.initialized
    tok = NormalizedTokenizer(JiebaTokenizer(user_words=['小米手提电脑']))
    assert tok('电纸书和墨水屏阅读器，小米手提电脑') == ['电子书', '阅读器', '电子书', '阅读器', '小米手提电脑']
    assert (len(jieba.dt.FREQ), jieba.dt.initialized) == (size, initialized)
    assert jieba.lcut('电纸书') == ['电纸', '书']
    assert not {'电纸书', '墨水屏阅读器', '小米手提电脑'} & set(jieba.dt.FREQ)

# ---------------------------------------------------------------------------------------------------------------
# Pickle and scikit-learn

@pytest.mark.parametrize('make', [NormalizedTokenizer, lambda: NormalizedTokenizer(JiebaTokenizer(mode='search')),
                                  lambda: NormalizedTokenizer(normalizer=TokenNormalizer(aliases={'本本': '手提电脑'}))])
def test_pickle_round_trip_is_small_and_equal(make):
    tok = make()
    texts = ['我想买一台手提电脑和一副无线耳机', '本本 128G', 'wireless headphones', '电纸书']
    expected = [tok(t) for t in texts]                          # used first: the set-up is not pickled
    data = pickle.dumps(tok)
    assert len(data) < 1_000
    restored = pickle.loads(data)
    assert restored._inner is None
    assert [restored(t) for t in texts] == expected


def test_normalizer_pickles_without_stemmer_after_use_in_a_thread():
    norm = TokenNormalizer()
    t = threading.Thread(target=norm, args=(['headphones', '手提电脑'],)); t.start(); t.join()
    norm(['cameras'])
    data = pickle.dumps(norm)
    assert len(data) < 200 and b'Stemmer' not in data
    assert pickle.loads(data)(['headphones', '手提电脑']) == ['耳机', '笔记本电脑']


def test_sklearn_clone_of_tfidf_vectorizer():
    items = sample_items()
    vec = tfidf_vectorizer(tokenizer=NormalizedTokenizer())
    X = vec.fit_transform(items.text)
    twin = clone(vec)
    assert twin.tokenizer is not vec.tokenizer and isinstance(twin.tokenizer, NormalizedTokenizer)
    assert not hasattr(twin, 'vocabulary_')
    Y = twin.fit_transform(items.text)
    assert (X != Y).nnz == 0 and list(twin.get_feature_names_out()) == list(vec.get_feature_names_out())
    restored = pickle.loads(pickle.dumps(vec))
    assert (restored.transform(['手提电脑']) != vec.transform(['手提电脑'])).nnz == 0


@pytest.mark.parametrize('query, item', [('手提电脑', 'laptop'), ('128G', 'phone'), ('电纸书', 'ereader'),
                                         ('wireless headphones', 'headphones'), ('juice', 'juice'), ('单反', 'camera')])
def test_tfidf_queries_find_items_written_differently(query, item):
    items = sample_items()
    plain, normed = tfidf_vectorizer(), tfidf_vectorizer(tokenizer=NormalizedTokenizer())
    Xp, Xn = plain.fit_transform(items.text), normed.fit_transform(items.text)
    assert plain.transform([query]).nnz == 0 or (Xp @ plain.transform([query]).T).sum() == 0
    sims = (Xn @ normed.transform([query]).T).toarray().ravel()
    assert items.item_id[int(np.argmax(sims))] == item and sims.max() > 0

# ---------------------------------------------------------------------------------------------------------------
# Properties

@PROPERTY
@given(st.text(max_size=60))
def test_any_text_gives_non_empty_str_tokens(s):
    toks = NTOK(clean_text(s))
    assert isinstance(toks, list) and all(isinstance(t, str) and t for t in toks)


KEYS = sorted(DEFAULT_ALIASES)
VALUES = sorted({v for vs in DEFAULT_ALIASES.values() for v in ((vs,) if isinstance(vs, str) else vs)})
TOKENS = st.one_of(st.sampled_from(KEYS), st.sampled_from(VALUES), st.sampled_from(['128g', '5g', '1T', 'OLEDs', '相机']),
                   st.text(alphabet='abcdeilnorstuy', min_size=1, max_size=10), st.text(min_size=1, max_size=6))


@PROPERTY
@given(st.lists(TOKENS, max_size=12))
def test_normalization_is_idempotent(tokens):
    once = NORM(tokens)
    assert NORM(once) == once
    assert all(isinstance(t, str) for t in once)


MINE = TokenNormalizer(aliases={'本本': '手提电脑', 'kindle': ('kindle', '电纸书'), 'airpods': ('airpods', '蓝牙耳机'),
                                'x': ('单反', 'kindle')})


@PROPERTY
@given(st.lists(st.one_of(st.sampled_from(['本本', 'kindle', 'airpods', 'x', '单反', '电子书', '阅读器', '相机']), TOKENS),
                max_size=12))
def test_normalization_with_user_categories_is_idempotent(tokens):
    once = MINE(tokens)
    assert MINE(once) == once


@PROPERTY
@given(st.text(max_size=40))
def test_tokenizer_output_is_already_normal(s):
    toks = NSEARCH(clean_text(s))
    assert NORM(toks) == toks
