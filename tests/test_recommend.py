"Edge cases of `llmrec.recommend`: the worked example, output contract, bad input, odd unicode, round trips, and the real datasets (slow)."
import json, math, multiprocessing, os, pickle, re, subprocess, sys, warnings
from contextlib import contextmanager
from operator import methodcaller
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from llmrec.core import EmptyHistoryError, EmptyVocabularyError, UnknownItemError, is_missing_text, sample_items
from llmrec.data import CATALOG_TEXT_COLS, load_catalog, load_dataset, load_thucnews
from llmrec.recommend import ContentRecommender, item_documents
from llmrec.tokens import JiebaTokenizer

COLUMNS = ['item_id', 'title', 'category', 'subcategory', 'score', 'rank', 'explanation', 'because', 'terms']
WORKED = ['笔记本电脑', '智能手机', '耳机']
EXPLANATION = re.compile(r'与您浏览的((?:「[^」]*」)+)相似，共同关键词：(.*)')


@contextmanager
def caught():
    "Record every warning raised inside the block"
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        yield w


def user_warnings(w): return [str(x.message) for x in w if issubclass(x.category, UserWarning)]


def parse_explanation(s):
    "(history entries named in 「」, shared keywords) of one explanation"
    m = EXPLANATION.fullmatch(s)
    assert m, f'explanation does not follow the template: {s!r}'
    return re.findall('「([^」]*)」', m.group(1)), [t for t in m.group(2).split('、') if t]


@pytest.fixture(scope='module')
def catalog(): return load_catalog()


@pytest.fixture(scope='module')
def rec(catalog): return ContentRecommender().fit(catalog, text_cols=CATALOG_TEXT_COLS)


@pytest.fixture(scope='module')
def sample_rec(): return ContentRecommender().fit(sample_items())


def frame(ids, texts, **cols): return pd.DataFrame({'item_id': ids, 'text': texts, **cols})


# ---- the design's worked example ----

def test_worked_example_tablet_and_ereader_with_grounded_explanations(rec, catalog):
    with caught() as w: recs = rec.recommend(WORKED, k=10)
    assert user_warnings(w) == []
    assert len(recs) == 10
    assert recs.subcategory[0] == '平板电脑' and {'平板电脑', '电子书阅读器'} <= set(recs.subcategory)
    analyzer = rec.vectorizer_.build_analyzer()
    doc_of = dict(zip(catalog.item_id, item_documents(catalog, CATALOG_TEXT_COLS)[0]))
    checked = 0
    for row in recs[recs.subcategory.isin(['平板电脑', '电子书阅读器'])].itertuples():
        names, terms = parse_explanation(row.explanation)
        assert names and set(names) <= set(WORKED), row.explanation
        assert terms, row.explanation
        item_tokens = set(analyzer(doc_of[row.item_id]))
        entry_tokens = set().union(*(analyzer(n) for n in names))
        for t in terms:
            assert t in item_tokens, f'{t!r} named for {row.item_id} but not among its tokens'
            assert t in entry_tokens, f'{t!r} named for {row.item_id} but not in the entries {names}'
        checked += 1
    assert checked >= 2


# ---- single interests ----

@pytest.mark.parametrize('history, k, subcategory, how', [
    (['降噪耳机'], 5, '耳机', all),
    (['咖啡'], 3, '茶与咖啡', all),
    (['适合孩子的书'], 5, '少儿读物', any),
    (['筆記型電腦'], 1, '笔记本电脑', all),  # traditional characters reach the simplified catalog
    (['ｉＰａｄ'], 1, '平板电脑', all),       # full-width Latin is folded
])
def test_single_interest(rec, history, k, subcategory, how):
    recs = rec.recommend(history, k=k)
    assert len(recs) == k
    assert how(s == subcategory for s in recs.subcategory), recs[['item_id', 'subcategory']].values.tolist()


def test_traditional_query_finds_mostly_laptops(rec):
    recs = rec.recommend(['筆記型電腦'], k=5)
    assert (recs.subcategory == '笔记本电脑').sum() >= 3


def test_item_id_history_excludes_it_and_returns_phones_first(rec):
    recs = rec.recommend(['phone-03'], k=5)
    assert 'phone-03' not in recs.item_id.tolist()
    assert (recs.subcategory.head(3) == '智能手机').all(), recs.subcategory.tolist()
    names, _ = parse_explanation(recs.explanation[0])
    assert names[0].startswith('小米14')  # an item entry is named by its title, not its id


def test_keep_seen_may_return_the_item(rec):
    recs = rec.recommend(['phone-03'], k=5, exclude_seen=False)
    assert recs.item_id[0] == 'phone-03'
    assert recs.score[0] == pytest.approx(1.0)


# ---- output contract ----

@pytest.mark.parametrize('history', [WORKED, ['降噪耳机'], ['phone-03', '咖啡'], [{'text': '耳机', 'weight': 3}, 'tablet-01']])
@pytest.mark.parametrize('diversity', [0, 0.6, 1])
def test_output_contract(rec, history, diversity):
    recs = rec.recommend(history, k=7, diversity=diversity)
    assert recs.columns.tolist() == COLUMNS
    assert len(recs) == 7
    assert recs['rank'].tolist() == list(range(1, 8))
    assert np.isfinite(recs.score).all() and (recs.score > 0).all()
    assert not recs.isna().any().any()
    assert recs.item_id.is_unique
    for e in recs.explanation: parse_explanation(e)


@pytest.mark.parametrize('features', ['tfidf', 'bow'])
@pytest.mark.parametrize('aggregate', ['balanced', 'mean', 'max'])
def test_relevance_order_without_diversity(catalog, features, aggregate):
    model = ContentRecommender(features=features, aggregate=aggregate).fit(catalog, text_cols=CATALOG_TEXT_COLS)
    recs = model.recommend(WORKED, k=20, diversity=0)
    assert len(recs) == 20
    assert (np.diff(recs.score.to_numpy()) <= 0).all()


def test_display_columns_default_to_text_without_title(sample_rec):
    recs = sample_rec.recommend(['耳机'], k=3)
    assert recs.columns.tolist() == ['item_id', 'text', 'category', 'score', 'rank', 'explanation', 'because', 'terms']


DUPS = ['z', 'a', 'm', 'b', 'q']   # not sorted: ties must follow catalog order, not id order


@pytest.fixture(scope='module')
def tie_rec():
    items = frame(['x0', 'z', 'x1', 'a', 'm', 'b', 'q', 'x2'],
                  ['智能手机', '蓝牙降噪耳机', '蓝牙耳机 充电宝 数据线', '蓝牙降噪耳机', '蓝牙降噪耳机', '蓝牙降噪耳机',
                   '蓝牙降噪耳机', '咖啡豆'])
    return ContentRecommender().fit(items)


@pytest.mark.parametrize('k', [1, 2, 3, 5, 6])
@pytest.mark.parametrize('diversity', [0, 0.6])
def test_ties_broken_by_catalog_order(tie_rec, k, diversity):
    recs = tie_rec.recommend(['降噪耳机'], k=k, diversity=diversity)
    tied = [i for i in recs.item_id if i in DUPS]
    assert tied == DUPS[:len(tied)]
    assert tied and (diversity or len(tied) == min(k, 5))  # diversity may prefer the distractor to a duplicate
    assert recs.score[recs.item_id.isin(DUPS)].nunique() == 1


def test_deterministic_across_calls(rec):
    pd.testing.assert_frame_equal(rec.recommend(WORKED, k=10), rec.recommend(WORKED, k=10), check_exact=True)


HISTORIES = [WORKED, ['phone-03', '适合孩子的书'], ['降噪耳机']]
SCRIPT = '''
import json, sys, warnings
warnings.simplefilter('ignore')
from llmrec.data import CATALOG_TEXT_COLS, load_catalog
from llmrec.recommend import ContentRecommender
rec = ContentRecommender().fit(load_catalog(), text_cols=CATALOG_TEXT_COLS)
print(json.dumps([rec.recommend(h, k=10).to_json(orient='split', double_precision=15, force_ascii=False)
                  for h in json.loads(sys.argv[1])]))
'''


def test_deterministic_across_processes(rec):
    outs = []
    for seed in ('1', '2'):  # different hash seeds: set and dict orders must not leak into results
        env = {**os.environ, 'PYTHONHASHSEED': seed}
        p = subprocess.run([sys.executable, '-c', SCRIPT, json.dumps(HISTORIES)], capture_output=True, text=True,
                           env=env, timeout=300)
        assert p.returncode == 0, p.stderr
        outs.append(json.loads(p.stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    here = [rec.recommend(h, k=10).to_json(orient='split', double_precision=15, force_ascii=False) for h in HISTORIES]
    assert outs[0] == here


def test_non_default_index_does_not_matter(catalog):
    sub = catalog[catalog.category == '数码']
    shuffled = sub.set_axis(sub.index[::-1] + 1000)
    got = [ContentRecommender().fit(df, text_cols=CATALOG_TEXT_COLS).recommend(['耳机', 'tablet-01'], k=5)
           for df in (sub, sub.reset_index(drop=True), shuffled)]
    pd.testing.assert_frame_equal(got[0], got[1])
    pd.testing.assert_frame_equal(got[0], got[2])


# ---- bad history ----

@pytest.mark.parametrize('history, given', [
    ([], 0), (['', None, float('nan')], 3), (['   ', '\t\n'], 2), ([{'text': None}, pd.NA], 2), ('', 1)])
def test_empty_history(sample_rec, history, given):
    with pytest.raises(EmptyHistoryError, match=rf'`history` has no usable entry \({given} given'):
        sample_rec.recommend(history)


def test_empty_entries_among_good_ones_are_skipped_with_a_warning(sample_rec):
    with pytest.warns(UserWarning, match=r'Skipped empty or missing history entries at positions \[0, 2\]'):
        recs = sample_rec.recommend(['', '耳机', None], k=3)
    pd.testing.assert_frame_equal(recs, sample_rec.recommend(['耳机'], k=3))


@pytest.mark.parametrize('entry, shown', [(999, '999'), (np.int64(7), r'(np\.int64\()?7\)?'),  # numpy 2 reprs np.int64(7)
                                          ({'item_id': 'phone-99'}, "'phone-99'"), ({'item_id': 42, 'weight': 2}, '42')])
def test_unknown_item_id(sample_rec, entry, shown):
    with pytest.raises(UnknownItemError, match=rf'Unknown item_id {shown}: not among the 10 fitted items'):
        sample_rec.recommend(['耳机', entry])


def test_unknown_int_id_in_int_catalog():
    model = ContentRecommender().fit(frame([1, 2, 3], ['蓝牙耳机', '降噪耳机', '智能手机']))
    with pytest.raises(UnknownItemError, match=r'Unknown item_id 999: not among the 3 fitted items \(e\.g\. \[1, 2, 3\]\)'):
        model.recommend([999], k=2)


@pytest.mark.parametrize('entry, keys', [({'text': '耳机', 'item_id': 'phone'}, "['item_id', 'text']"), ({}, '[]'),
                                         ({'weight': 2}, "['weight']"), ({'text': '耳机', 'query': 'x'}, "['query', 'text']")])
def test_dict_entry_needs_exactly_one_of_text_or_item_id(sample_rec, entry, keys):
    with pytest.raises(ValueError, match=rf"History entry 1 must have exactly one of 'text' or 'item_id'.*got keys {re.escape(keys)}"):
        sample_rec.recommend(['耳机', entry])


@pytest.mark.parametrize('weight', [0, -1, float('nan'), True, float('inf'), '2', None])
def test_bad_weight(sample_rec, weight):
    with pytest.raises(ValueError, match=rf'History entry 0: `weight` must be a positive number, got {re.escape(repr(weight))}'):
        sample_rec.recommend([{'text': '耳机', 'weight': weight}])


def test_weight_shifts_the_ranking(sample_rec):
    light = sample_rec.recommend([{'text': '耳机', 'weight': 1}, {'text': '橙汁', 'weight': 10}], k=1, diversity=0)
    heavy = sample_rec.recommend([{'text': '耳机', 'weight': 10}, {'text': '橙汁', 'weight': 1}], k=1, diversity=0)
    assert (light.item_id[0], heavy.item_id[0]) == ('juice', 'headphones')


def test_history_that_is_not_a_list(sample_rec):
    with pytest.raises(TypeError, match='`history` must be a list of texts or item ids, got int'):
        sample_rec.recommend(42)


def test_query_before_fit():
    with pytest.raises(NotFittedError): ContentRecommender().recommend(['耳机'])


# ---- bad parameters ----

@pytest.mark.parametrize('k', [0, -1, 2.5, '3', None, True])
def test_bad_k(sample_rec, k):
    with pytest.raises(ValueError, match=rf'`k` must be a positive int, got {re.escape(repr(k))}'):
        sample_rec.recommend(['耳机'], k=k)


@pytest.mark.parametrize('k', [11, 1000])
def test_k_larger_than_catalog_warns(sample_rec, k):
    with pytest.warns(UserWarning, match=rf'k={k} is larger than the catalog \(10 items\); returning at most 10'):
        recs = sample_rec.recommend(['耳机'], k=k)
    assert 0 < len(recs) <= 10


def test_k_larger_than_bundled_catalog(rec, catalog):
    with pytest.warns(UserWarning, match=rf'k=1000 is larger than the catalog \({len(catalog)} items\)'):
        recs = rec.recommend(['耳机'], k=1000)
    assert 0 < len(recs) <= len(catalog)
    assert recs['rank'].tolist() == list(range(1, len(recs) + 1))


@pytest.mark.parametrize('diversity', [-0.1, 1.5, float('nan'), float('inf'), True, '0.5'])
@pytest.mark.parametrize('where', ['call', 'constructor'])
def test_bad_diversity(diversity, where):
    model = ContentRecommender(**({'diversity': diversity} if where == 'constructor' else {})).fit(sample_items())
    with pytest.raises(ValueError, match=rf'`diversity` must be a number in \[0, 1\], got {re.escape(repr(diversity))}'):
        model.recommend(['耳机'], **({'diversity': diversity} if where == 'call' else {}))


@pytest.mark.parametrize('features', ['glove', 'TFIDF', None])
def test_unknown_features(features):
    with pytest.raises(ValueError, match=rf"`features` must be one of \['tfidf', 'bow', .*\], got {re.escape(repr(features))}"):
        ContentRecommender(features=features).fit(sample_items())


@pytest.mark.parametrize('history', [
    ['耳机'],
    ['火星探测器']])   # a history sharing no term with the catalog must not hide a bad `aggregate`
@pytest.mark.parametrize('aggregate', ['sum', 'MAX'])
def test_unknown_aggregate(aggregate, history):
    with pytest.raises(ValueError, match=rf"`aggregate` must be one of \['balanced', 'mean', 'max'\], got {re.escape(repr(aggregate))}"):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            ContentRecommender(aggregate=aggregate).fit(sample_items()).recommend(history)


# ---- histories the catalog cannot match ----

@pytest.mark.parametrize('history', [['火星探测器'], ['😀🎉'], ['\u200b'], ['xyzzy', '火星探测器']])
def test_all_unknown_history_warns_and_returns_empty_frame(rec, history):
    with caught() as w: recs = rec.recommend(history, k=5)
    assert user_warnings(w) == ["None of the history's terms occur in the catalog; no item can be recommended."]
    assert len(recs) == 0
    assert recs.columns.tolist() == COLUMNS
    assert not recs.isna().any().any()


def test_unknown_entry_is_named_and_the_known_one_used(rec):
    with caught() as w: recs = rec.recommend(['火星探测器', '降噪耳机'], k=5)
    assert user_warnings(w) == ["History entries sharing no term with the catalog were ignored: ['火星探测器']."]
    pd.testing.assert_frame_equal(recs, rec.recommend(['降噪耳机'], k=5))


# ---- bad catalogs ----

def test_catalog_without_text_column(catalog):
    with pytest.raises(ValueError) as e: ContentRecommender().fit(catalog)
    msg = str(e.value)
    assert "items is missing column(s) ['text']" in msg
    assert str(catalog.columns.tolist()) in msg
    assert 'text_cols=' in msg


def test_catalog_without_id_column():
    with pytest.raises(ValueError, match=r"missing column\(s\) \['item_id'\]; it has \['sku', 'text'\]. Pass id_col="):
        ContentRecommender().fit(pd.DataFrame({'sku': ['a'], 'text': ['耳机']}))


def test_empty_catalog():
    with pytest.raises(ValueError, match='`items` is empty'): ContentRecommender().fit(frame([], []))


@pytest.mark.parametrize('ids, shown', [(['a', 'b', 'a', 'c'], "1 id(s) repeat: ['a']"),
                                        ([3, 1, 3, 1], '2 id(s) repeat: [3, 1]'),
                                        (['x', 'y', 'x', 'y'], "2 id(s) repeat: ['x', 'y']")])
def test_duplicate_ids(ids, shown):
    with pytest.raises(ValueError, match=re.escape(shown)):
        ContentRecommender().fit(frame(ids, ['耳机', '手机', '电脑', '咖啡']))


@pytest.mark.parametrize('ids, n', [(['a', None, 'c'], 1), ([1.0, float('nan'), float('nan')], 2), (['a', pd.NA, 'c'], 1)])
def test_missing_ids(ids, n):
    with pytest.raises(ValueError, match=rf'{n} item\(s\) have a missing `item_id`; every item needs an id'):
        ContentRecommender().fit(frame(ids, ['耳机', '手机', '电脑']))


@pytest.mark.parametrize('texts', [['的了', '我们'], ['！！！', '。。。'], ['😀', '🎉🎉'], ['的', None]])
def test_all_stop_word_catalog(texts):
    with pytest.raises(EmptyVocabularyError, match=r'No tokens left after cleaning and stop-word removal \(2 documents\)'):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            ContentRecommender().fit(frame(['a', 'b'], texts))


def test_catalog_without_any_text():
    with pytest.raises(EmptyVocabularyError, match=r"None of the 2 items has any text in \['text'\]"):
        ContentRecommender().fit(frame(['a', 'b'], [None, '  ']))


@pytest.mark.parametrize('missing', [None, float('nan'), '', '   ', pd.NA])
def test_items_without_text_are_kept_but_never_recommended(missing):
    items = frame(list('abcde'), ['蓝牙耳机', missing, '降噪耳机', missing, '智能手机 耳机'])
    with caught() as w: model = ContentRecommender().fit(items)
    assert user_warnings(w) == ["2 of 5 items have no text in ['text']; they are kept but no text will match them."]
    assert list(model.item_ids_) == list('abcde') and model.item_matrix_.shape[0] == 5
    for diversity in (0, 0.6, 1):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            recs = model.recommend(['耳机', '手机', 'a'], k=5, diversity=diversity)
        assert set(recs.item_id) == {'c', 'e'}


def test_history_naming_an_item_without_text():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model = ContentRecommender().fit(frame([1, 2], ['蓝牙耳机', None]))
    with pytest.warns(UserWarning, match="None of the history's terms occur in the catalog"):
        recs = model.recommend([2], k=1)
    assert len(recs) == 0


def test_one_item_catalog():
    model = ContentRecommender().fit(frame(['only'], ['蓝牙降噪耳机']))
    with caught() as w: recs = model.recommend(['耳机'], k=1)
    assert user_warnings(w) == []
    assert recs.item_id.tolist() == ['only'] and recs['rank'].tolist() == [1]
    with pytest.warns(UserWarning, match='larger than the catalog'): assert len(model.recommend(['耳机'], k=3)) == 1
    seen = model.recommend(['only'], k=1)
    assert len(seen) == 0 and seen.columns.tolist() == ['item_id', 'text', 'score', 'rank', 'explanation', 'because', 'terms']
    assert model.recommend(['only'], k=1, exclude_seen=False).item_id.tolist() == ['only']


@pytest.mark.parametrize('entry', [2, '2', np.int64(2), {'item_id': 2}, {'item_id': '2'}])
def test_int_ids_resolve_from_int_and_text_form(entry):
    model = ContentRecommender().fit(frame([1, 2, 3, 10], ['蓝牙耳机', '降噪耳机', '智能手机', '降噪耳机 耳罩']))
    recs = model.recommend([entry], k=3)
    assert 2 not in recs.item_id.tolist()
    assert recs.item_id.tolist()[:2] in ([10, 1], [1, 10])
    assert recs.item_id.map(type).eq(int).all()  # ids come back as given in the catalog, not as text
    pd.testing.assert_frame_equal(recs, model.recommend([2], k=3))


def test_text_id_is_not_matched_by_int():
    model = ContentRecommender().fit(frame(['1', '2'], ['蓝牙耳机', '降噪耳机']))
    assert model.recommend(['2'], k=1).item_id.tolist() == ['1']
    with pytest.raises(UnknownItemError, match='Unknown item_id 2:'): model.recommend([2], k=1)


# ---- odd unicode ----

ODD_HISTORY = ['😀🎉', 'ＡＢＣ１２３耳机', '筆記型電腦', 'e\u0301\u0301耳\u0308机', '耳机' * 5000, '电脑 ' * 2000,
               '\u200b\ufeff耳机', '\ud800耳机', 'مرحبا 耳机', '\x00耳机\n\t手机', '\u3000全角空格\u3000手机']


@pytest.mark.parametrize('entry', ODD_HISTORY, ids=range(len(ODD_HISTORY)))
def test_odd_unicode_history(rec, entry):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        recs = rec.recommend([entry, '耳机'], k=3)
    assert recs.columns.tolist() == COLUMNS and len(recs) == 3
    for e in recs.explanation: parse_explanation(e)


ODD_TEXTS = ['😀🎉', 'ＡＢＣ１２３ 蓝牙耳机', '筆記型電腦 輕薄', 'e\u0301 耳\u0308机', '耳机' * 5000, '\ud800 手机',
             '\u200b', 'Ｌａｐｔｏｐ 笔记本电脑 laptop']


def test_odd_unicode_catalog():
    items = frame([f'i{i}' for i in range(len(ODD_TEXTS))], ODD_TEXTS)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        model = ContentRecommender().fit(items)
        for h in (['笔记本电脑'], ['耳机'], ODD_TEXTS, ['😀']):
            recs = model.recommend(h, k=5)
            assert recs.columns.tolist() == ['item_id', 'text', 'score', 'rank', 'explanation', 'because', 'terms']
    top = model.recommend(['笔记本电脑'], k=2, diversity=0).item_id.tolist()
    assert set(top) == {'i2', 'i7'}  # traditional 筆記型電腦 in the catalog matches the simplified query


# ---- round trips ----

@pytest.fixture(scope='module', params=['default', 'bow', 'user_words'])
def fitted(request, catalog):
    kw = {'default': {}, 'bow': {'features': 'bow', 'aggregate': 'max'},
          'user_words': {'tokenizer': JiebaTokenizer(mode='search', user_words=['降噪耳机']), 'diversity': 0}}[request.param]
    return ContentRecommender(**kw).fit(catalog, text_cols=CATALOG_TEXT_COLS)


def test_pickle_round_trip(fitted):
    restored = pickle.loads(pickle.dumps(fitted))
    for h in (WORKED, ['降噪耳机', 'phone-03']):
        pd.testing.assert_frame_equal(restored.recommend(h, k=8), fitted.recommend(h, k=8), check_exact=True)


def test_clone_is_unfitted_with_same_params(fitted):
    c = clone(fitted)
    assert type(c) is ContentRecommender
    assert repr(c.get_params()) == repr(fitted.get_params())
    assert not hasattr(c, 'vectorizer_') and not hasattr(c, 'item_matrix_')
    with pytest.raises(NotFittedError): c.recommend(['耳机'])


def test_clone_refits_to_the_same_answer(rec, catalog):
    again = clone(rec).fit(catalog, text_cols=CATALOG_TEXT_COLS)
    pd.testing.assert_frame_equal(again.recommend(WORKED, k=5), rec.recommend(WORKED, k=5), check_exact=True)


def test_survives_a_spawned_worker(rec):
    blob = pickle.dumps(rec)
    with multiprocessing.get_context('spawn').Pool(1) as pool:
        got = pool.apply(methodcaller('recommend', WORKED, k=5), (pickle.loads(blob),))
    pd.testing.assert_frame_equal(got, rec.recommend(WORKED, k=5), check_exact=True)


# ---- aggregation ----

def test_max_favours_one_close_entry_balanced_favours_both():
    items = frame(['near', 'both', 'other'], ['降噪耳机 降噪耳机 蓝牙耳机', '耳机 咖啡 桌子 台灯 书架', '运动鞋 跑步'])
    history = ['降噪耳机', '咖啡']
    top = {agg: ContentRecommender(aggregate=agg, diversity=0).fit(items).recommend(history, k=3).item_id.tolist()
           for agg in ('max', 'balanced')}
    assert top['max'] == ['near', 'both']
    assert top['balanced'] == ['both', 'near']
    names, _ = parse_explanation(ContentRecommender(diversity=0).fit(items).recommend(history, k=1).explanation[0])
    assert set(names) == set(history)  # the item related to both is explained by both


# ---- real data ----

def pet_pair(videos):
    "The first two 宠物 videos whose caption carries the #萌宠 (cute pets) tag"
    pets = videos[(videos.category == '宠物') & videos.text.notna() & videos.text.str.contains('萌宠', na=False)]
    return pets.item_id.head(2).tolist()


@pytest.mark.slow
def test_kuairec_pet_videos(shared_data):
    videos, text_cols = load_dataset('kuairec', shared_data/'kuairec')
    no_text = int(videos[text_cols].map(is_missing_text).all(axis=1).sum())
    assert no_text > 0
    with caught() as w: model = ContentRecommender().fit(videos, text_cols=text_cols)
    assert user_warnings(w) == [f'{no_text} of {len(videos)} items have no text in {text_cols}; '
                                'they are kept but no text will match them.']
    history = pet_pair(videos)
    assert len(history) == 2
    recs = model.recommend(history, k=10)
    assert len(recs) == 10 and not set(history) & set(recs.item_id)
    cats = videos.set_index('item_id').category.loc[recs.item_id]
    assert (cats == '宠物').sum() >= 6, cats.tolist()


@pytest.mark.slow
def test_thucnews_sports_headlines(shared_data):
    "Headlines from the test split as free text against a catalog of the dev split (no headline can match itself)"
    path = shared_data/'thucnews_titles'
    news = load_thucnews(path, splits='dev')
    assert 'sports' in set(news.category)
    model = ContentRecommender().fit(news, text_cols=['text'])
    held_out = load_thucnews(path, splits='test')
    history = held_out[held_out.category == 'sports'].text.head(3).tolist()
    recs = model.recommend(history, k=10)
    assert len(recs) == 10 and not set(history) & set(news.text[news.item_id.isin(recs.item_id)])
    assert (recs.category == 'sports').sum() >= 6, recs.category.tolist()


@pytest.mark.slow
def test_thucnews_via_load_dataset(shared_data):
    news, text_cols = load_dataset('thucnews', shared_data/'thucnews_titles')
    model = ContentRecommender().fit(news, text_cols=text_cols)
    history = news[news.category == 'sports'].text.head(3).tolist()
    recs = model.recommend(history, k=10)
    assert (recs.category == 'sports').sum() >= 6, recs.category.tolist()


# ---- mixed interests, structured explanations, batch, similar items, popularity, persistence hooks ----

@pytest.mark.parametrize('history, wanted', [
    (['笔记本电脑', '耳机'], {'笔记本电脑', '耳机'}),
    (['跑步鞋', '蓝牙耳机'], {'运动鞋', '耳机'}),
    (['小说', '零食'], {'小说', '休闲零食'}),
])
def test_mixed_interests_reach_each_interest(rec, history, wanted):
    recs = rec.recommend(history, k=10)
    assert wanted <= set(recs.subcategory), recs.subcategory.tolist()


@pytest.mark.parametrize('features', ['tfidf', 'bow', 'char', 'llm-tfidf'])
@pytest.mark.parametrize('aggregate', ['balanced', 'mean', 'max'])
def test_term_contributions_sum_to_the_score(catalog, features, aggregate):
    model = ContentRecommender(features=features, aggregate=aggregate).fit(catalog, text_cols=CATALOG_TEXT_COLS)
    recs = model.recommend(WORKED + ['phone-03', {'text': '降噪耳机', 'weight': 2}], k=10)
    for row in recs.itertuples():
        assert math.isclose(sum(c for _, c in row.terms), row.score, rel_tol=1e-9), row
        assert math.isclose(sum(c for _, c in row.because), row.score, rel_tol=1e-9), row
        assert all(c > 0 for _, c in row.terms) and [c for _, c in row.terms] == sorted((c for _, c in row.terms), reverse=True)
        assert {e for e, _ in row.because} <= set(WORKED) | {'phone-03', '降噪耳机'}
        assert set(row.terms and [t for t, _ in row.terms]) <= set(model.feature_names_)


def test_terms_are_the_shared_ones(rec, catalog):
    recs = rec.recommend(['降噪耳机'], k=5, diversity=0)
    analyzer = rec.vectorizer_.build_analyzer()
    doc_of = dict(zip(catalog.item_id, item_documents(catalog, CATALOG_TEXT_COLS)[0]))
    for row in recs.itertuples():
        assert {t for t, _ in row.terms} <= set(analyzer('降噪耳机')) & set(analyzer(doc_of[row.item_id]))


def test_dense_rows_split_over_entries_only(catalog):
    model = ContentRecommender(features='lsa').fit(catalog, text_cols=CATALOG_TEXT_COLS)
    recs = model.recommend(WORKED, k=5)
    assert recs.terms.isna().all()
    assert np.allclose(recs.because.map(lambda b: sum(c for _, c in b)), recs.score, rtol=1e-5)


def test_explain_false_drops_the_columns_and_keeps_the_ranking(rec):
    full, bare = rec.recommend(WORKED, k=10), rec.recommend(WORKED, k=10, explain=False)
    assert bare.columns.tolist() == COLUMNS[:-3]
    pd.testing.assert_frame_equal(full[COLUMNS[:-3]], bare)


@pytest.mark.parametrize('features', ['tfidf', 'bow', 'lsa', 'w2v', 'char', 'llm-tfidf'])
@pytest.mark.parametrize('diversity', [0, 0.6])
def test_recommend_many_equals_recommend(catalog, features, diversity):
    model = ContentRecommender(features=features).fit(catalog, text_cols=CATALOG_TEXT_COLS)
    rng = np.random.default_rng(0)
    ids = catalog.item_id.to_numpy()
    histories = {f'u{i}': list(rng.choice(ids, 3, replace=False)) for i in range(25)}
    histories['text'] = ['降噪耳机', 'laptop-01']
    many = model.recommend_many(histories, k=7, diversity=diversity, block=5_000)
    assert many.columns.tolist() == ['user_id'] + COLUMNS[:-3]
    for u, h in histories.items():
        alone = model.recommend(h, k=7, diversity=diversity, explain=False)
        got = many[many.user_id == u].drop(columns='user_id').reset_index(drop=True)
        assert got.item_id.tolist() == alone.item_id.tolist(), u
        assert np.allclose(got.score, alone.score, rtol=1e-5, atol=1e-7)


def test_recommend_many_with_explanations_and_fallback(catalog):
    model = ContentRecommender().fit(catalog, text_cols=CATALOG_TEXT_COLS, popularity_col='sales')
    with caught() as w:
        many = model.recommend_many([['耳机'], [], ['火星探测器']], k=3, explain=True, fallback='popular')
    assert user_warnings(w) == ['2 of 3 histories are empty or share no term with the catalog: they get popular items.']
    pd.testing.assert_frame_equal(many[many.user_id == 0].drop(columns='user_id').reset_index(drop=True),
                                  model.recommend(['耳机'], k=3))
    top_sales = catalog.sort_values('sales', ascending=False, kind='stable').item_id.head(3).tolist()
    assert many[many.user_id == 1].item_id.tolist() == top_sales == many[many.user_id == 2].item_id.tolist()
    assert many['rank'].tolist() == [1, 2, 3] * 3


def test_recommend_many_bad_input(sample_rec):
    with pytest.raises(TypeError, match='`histories` must be a mapping'): sample_rec.recommend_many('耳机')
    with pytest.raises(UnknownItemError, match="History of user 'b': Unknown item_id 'nope'"):
        sample_rec.recommend_many({'a': ['耳机'], 'b': ['耳机', {'item_id': 'nope'}]})
    with caught():
        empty = sample_rec.recommend_many({'a': []})
    assert len(empty) == 0 and empty.columns.tolist() == ['user_id', 'item_id', 'text', 'category', 'score', 'rank']


def test_score_matrix_matches_recommend(rec):
    M = rec.score_matrix([WORKED, ['降噪耳机'], []])
    assert M.shape == (3, len(rec.item_ids_)) and M.dtype == np.float32 and not M[2].any()
    recs = rec.recommend(WORKED, k=10, diversity=0, exclude_seen=False)
    assert np.allclose(M[0][[rec._row_of[i] for i in recs.item_id]], recs.score, rtol=1e-6)
    assert list(rec.item_ids_[np.argsort(-M[0], kind='stable')[:10]]) == recs.item_id.tolist()


def test_similar_items(rec, catalog):
    sims = rec.similar_items('headphones-01', k=5)
    assert 'headphones-01' not in sims.item_id.tolist()
    assert (sims.subcategory == '耳机').sum() >= 3
    assert sims.explanation.str.startswith('与「').all()
    assert all(b[0][0] == 'headphones-01' for b in sims.because)
    with pytest.raises(UnknownItemError, match="Unknown item_id 'nope'"): rec.similar_items('nope')


def test_intra_list_diversity(rec):
    plain, varied = rec.recommend(WORKED, k=10, diversity=0), rec.recommend(WORKED, k=10, diversity=0.9)
    assert 0 <= rec.intra_list_diversity(plain) < rec.intra_list_diversity(varied) <= 1
    assert math.isnan(rec.intra_list_diversity([]))
    with pytest.raises(UnknownItemError): rec.intra_list_diversity(['nope', 'laptop-01'])


def test_popularity_column_checks(catalog):
    with pytest.raises(ValueError, match="`popularity_col` 'title' must hold non-negative numbers"):
        ContentRecommender().fit(catalog, text_cols=CATALOG_TEXT_COLS, popularity_col='title')
    with pytest.raises(ValueError, match=r"items is missing column\(s\) \['hits'\]"):
        ContentRecommender().fit(catalog, text_cols=CATALOG_TEXT_COLS, popularity_col='hits')
    neg = catalog.assign(sales=-catalog.sales)
    with pytest.raises(ValueError, match='non-negative'):
        ContentRecommender().fit(neg, text_cols=CATALOG_TEXT_COLS, popularity_col='sales')
    gappy = ContentRecommender().fit(catalog.assign(sales=catalog.sales.where(catalog.index > 0)), text_cols=CATALOG_TEXT_COLS, popularity_col='sales')
    assert gappy.popularity_[0] == 0


def test_fallback_keeps_seen_items_out(catalog):
    top = catalog.sort_values('sales', ascending=False, kind='stable').item_id.tolist()
    textless = catalog.assign(title=catalog.title.where(catalog.item_id != top[0], None))
    with caught():
        model = ContentRecommender().fit(textless, text_cols=['title'], popularity_col='sales')
    got = model.recommend([{'item_id': top[0]}], k=3, fallback='popular')     # an item with no text matches nothing
    assert got.item_id.tolist() == top[1:4] and got.explanation.eq('热门推荐').all()
    empty_history = model.recommend([], k=3, fallback='popular')
    assert empty_history.item_id.tolist() == top[:3] and empty_history.score.iloc[0] == 1


def test_weighted_fields(catalog):
    title_heavy = ContentRecommender(diversity=0).fit(catalog, text_cols={'title': 4, 'description': 1})
    assert title_heavy.field_weights_ == {'title': 1.0, 'description': 0.25}
    recs = title_heavy.recommend(['降噪耳机'], k=5)
    assert (recs.subcategory == '耳机').all()
    assert np.allclose(np.linalg.norm(title_heavy.item_matrix_.toarray(), axis=1), 1)
    for bad in ({'title': -1}, {'title': float('nan')}, {'title': True}, {}):
        with pytest.raises(ValueError, match='`text_cols`'): ContentRecommender().fit(catalog, text_cols=bad)


@pytest.mark.parametrize('half_life', [0, -1, float('inf'), 'x', True])
def test_bad_half_life(sample_rec, half_life):
    with pytest.raises(ValueError, match=f'`half_life` must be None or a positive number'):
        ContentRecommender(half_life=half_life).fit(sample_items())


def test_half_life_favours_recent_entries(sample_rec):
    model = ContentRecommender(half_life=0.5, diversity=0, aggregate='max').fit(sample_items())
    order = lambda h: model.recommend(h, k=10).item_id.tolist()
    assert order(['笔记本电脑', '耳机'])[0] == 'headphones'
    assert order(['耳机', '笔记本电脑']).index('laptop') < order(['耳机', '笔记本电脑']).index('headphones')


def test_new_attributes_pickle(catalog):
    model = ContentRecommender(half_life=2).fit(catalog, text_cols={'title': 2, 'description': 1}, popularity_col='sales')
    back = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(back.recommend(WORKED, k=10), model.recommend(WORKED, k=10))
    pd.testing.assert_frame_equal(back.recommend([], k=3, fallback='popular'), model.recommend([], k=3, fallback='popular'))


def test_fallback_never_returns_items_of_zero_popularity(sample_rec):
    items = sample_items().assign(sales=[0] * 8 + [5, 7])
    model = ContentRecommender().fit(items, popularity_col='sales')
    got = model.recommend([], k=4, fallback='popular')
    assert got.item_id.tolist() == items.item_id.iloc[[9, 8]].tolist()
    assert np.allclose(got.score, [1.0, 5 / 7])


def test_recommend_many_explains_each_user_like_recommend(sample_rec):
    "Explanations of a user placed after an unmatched history in the same block use that user's own weights"
    histories = [['zzz'], [{'item_id': 'camera', 'weight': 0.5}, '蓝牙'], [], ['耳机', {'text': '手机', 'weight': 3}]]
    with caught(): many = sample_rec.recommend_many(histories, k=3, explain=True)
    for u in (1, 3):
        alone = sample_rec.recommend(histories[u], k=3)
        got = many[many.user_id == u].drop(columns='user_id').reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone)
        assert all(math.isclose(sum(c for _, c in b), s) for b, s in zip(got.because, got.score))


@pytest.mark.parametrize('weights', [(1e308, 1e308), (1e-300, 1e-300), (5e-324, 5e-324)])
def test_extreme_entry_weights_are_relative(sample_rec, weights):
    history = [{'text': '手机', 'weight': weights[0]}, {'text': '耳机', 'weight': weights[1]}]
    with caught() as w: got = sample_rec.recommend(history, k=3)
    pd.testing.assert_frame_equal(got, sample_rec.recommend(['手机', '耳机'], k=3))
    assert user_warnings(w) == []


@pytest.mark.parametrize('weights', [{'text': 1e308, 'category': 1e308}, {'text': 1e-300, 'category': 1e-300}])
def test_extreme_field_weights_are_relative(weights):
    even = ContentRecommender().fit(sample_items(), text_cols={'text': 1, 'category': 1})
    odd = ContentRecommender().fit(sample_items(), text_cols=weights)
    pd.testing.assert_frame_equal(odd.recommend(['耳机'], k=3), even.recommend(['耳机'], k=3))


def test_display_cols(sample_rec):
    items = sample_items().assign(score=1.0, rank=2)
    assert ContentRecommender().fit(items, display_cols='category').display_.columns.tolist() == ['category']
    for bad in (['category', 'category'], ['score'], ['item_id'], ['rank', 'text']):
        with pytest.raises(ValueError, match='`display_cols` must name distinct catalog columns'):
            ContentRecommender().fit(items, display_cols=bad)


@pytest.mark.parametrize('param, value, message', [
    ('aggregate', 'zzz', '`aggregate` must be one of'), ('half_life', -1, '`half_life` must be None or a positive'),
    ('n_terms', 0, '`n_terms` must be a positive int'), ('features', 'glove', '`features` must be one of')])
def test_parameters_are_checked_at_query_time_too(param, value, message):
    model = ContentRecommender().fit(sample_items()).set_params(**{param: value})
    for query in (lambda: model.recommend(['耳机']), lambda: model.recommend_many([['耳机']]), lambda: model.similar_items('laptop')):
        with pytest.raises(ValueError, match=re.escape(message)): query()
