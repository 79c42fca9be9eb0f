"""Save / load of `ContentRecommender` (`llmrec.persist`): identical answers for every `features` choice, no pickle
anywhere, every fitted attribute accounted for, exact ids and display dtypes, tokenizers, and damaged folders."""
import hashlib, json, os, pickle, shutil, subprocess, sys, warnings
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError
import llmrec
from llmrec import persist
from llmrec.core import sample_items
from llmrec.data import CATALOG_TEXT_COLS, load_catalog
from llmrec.normalize import NormalizedTokenizer, TokenNormalizer
from llmrec.persist import FITTED, NOT_SAVED, load_recommender, save_recommender, unknown_attributes
from llmrec.recommend import DENSE_FEATURES, FEATURES, ContentRecommender
from llmrec.tokens import CharNgramTokenizer, JiebaTokenizer, LLMTokenizer

HISTORIES = [['笔记本电脑', '智能手机', '耳机'], ['降噪耳机'], ['phone-03', '平板电脑'],
             [{'item_id': 'laptop-01', 'weight': 2.0}, {'text': '电子书阅读器'}], ['火星探测器'], []]


@pytest.fixture(scope='module')
def catalog(): return load_catalog()


@pytest.fixture(scope='module', params=FEATURES)
def fitted(request, catalog):
    "(features, recommender fitted on the bundled catalog with weighted fields, popularity and recency)"
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        rec = ContentRecommender(features=request.param, half_life=2.0).fit(
            catalog, text_cols={'title': 2.0, 'brand': 1.0, 'subcategory': 1.0, 'description': 0.5}, popularity_col='sales')
    return request.param, rec


@pytest.fixture(scope='module')
def saved(fitted, tmp_path_factory):
    features, rec = fitted
    folder = save_recommender(rec, tmp_path_factory.mktemp('models')/features)
    return features, rec, folder, load_recommender(folder)


def quiet(f, *a, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return f(*a, **kw)


def assert_same_frames(a, b, dense):
    "Equal frames: exact for sparse spaces, scores within 1e-6 for dense ones (identical rankings either way)"
    assert a.columns.tolist() == b.columns.tolist()
    assert a.item_id.tolist() == b.item_id.tolist()
    if dense: pd.testing.assert_frame_equal(a, b, check_exact=False, atol=1e-6, rtol=0)
    else: pd.testing.assert_frame_equal(a, b, check_exact=True)


# ---- every features choice round-trips ----

def test_recommend_is_identical(saved):
    features, rec, _, loaded = saved
    for h in HISTORIES[:4]:
        for kw in ({}, {'diversity': 0}, {'diversity': 0.3, 'k': 20}, {'exclude_seen': False, 'explain': False}):
            assert_same_frames(quiet(loaded.recommend, h, **kw), quiet(rec.recommend, h, **kw), features in DENSE_FEATURES)


def test_structured_explanations_are_identical(saved):
    features, rec, _, loaded = saved
    a, b = loaded.recommend(HISTORIES[0], k=10), rec.recommend(HISTORIES[0], k=10)
    assert a.explanation.tolist() == b.explanation.tolist()
    assert a.because.tolist() == b.because.tolist()
    assert a.terms.tolist() == b.terms.tolist()
    if features not in DENSE_FEATURES:              # exact shares: the terms of the loaded model sum to its score
        assert all(abs(sum(c for _, c in t) - s) < 1e-9 for t, s in zip(a.terms, a.score))


def test_score_matrix_is_identical(saved):
    features, rec, _, loaded = saved
    A, B = quiet(loaded.score_matrix, HISTORIES), quiet(rec.score_matrix, HISTORIES)
    assert A.dtype == B.dtype == np.float32 and A.shape == B.shape == (len(HISTORIES), len(rec.item_ids_))
    np.testing.assert_array_equal(A, B)
    np.testing.assert_array_equal(quiet(loaded.score_matrix, HISTORIES, exclude_seen=True),
                                  quiet(rec.score_matrix, HISTORIES, exclude_seen=True))


def test_batch_similar_fallback_and_diversity_are_identical(saved):
    features, rec, _, loaded = saved
    dense = features in DENSE_FEATURES
    hs = {f'u{i}': h for i, h in enumerate(HISTORIES)}
    assert_same_frames(quiet(loaded.recommend_many, hs, k=5, explain=True), quiet(rec.recommend_many, hs, k=5, explain=True), dense)
    assert_same_frames(quiet(loaded.recommend_many, hs, k=5, fallback='popular'), quiet(rec.recommend_many, hs, k=5, fallback='popular'), dense)
    assert_same_frames(loaded.similar_items('phone-03', k=8), rec.similar_items('phone-03', k=8), dense)
    assert_same_frames(loaded.recommend([], k=5, fallback='popular'), rec.recommend([], k=5, fallback='popular'), dense)
    ids = rec.recommend(HISTORIES[0], k=10).item_id
    assert loaded.intra_list_diversity(ids) == pytest.approx(rec.intra_list_diversity(ids), abs=1e-6)


def test_fitted_state_is_identical(saved):
    features, rec, _, loaded = saved
    assert type(loaded.item_matrix_) is type(rec.item_matrix_)
    if sp.issparse(rec.item_matrix_):
        for part in ('data', 'indices', 'indptr'):
            a, b = getattr(loaded.item_matrix_, part), getattr(rec.item_matrix_, part)
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)
    else:
        assert loaded.item_matrix_.dtype == np.float32
        np.testing.assert_array_equal(loaded.item_matrix_, rec.item_matrix_)
    np.testing.assert_array_equal(loaded.feature_names_, rec.feature_names_)
    assert loaded.feature_names_.dtype == rec.feature_names_.dtype
    np.testing.assert_array_equal(loaded.popularity_, rec.popularity_)
    assert loaded.field_weights_ == rec.field_weights_ and loaded.text_cols_ == rec.text_cols_
    assert loaded.get_params() .keys() == rec.get_params().keys() and loaded.half_life == 2.0
    assert loaded._docs == rec._docs and loaded._by_title == rec._by_title and loaded._row_of == rec._row_of
    pd.testing.assert_frame_equal(loaded.display_, rec.display_, check_exact=True)


def test_texts_vectorise_identically(saved):
    "The rebuilt vectorizer (tokenizer, vocabulary, IDF, SVD or word vectors) maps new text to the same vectors"
    features, rec, _, loaded = saved
    texts = ['轻薄笔记本电脑 16GB', '蓝牙降噪耳机 通勤', '没有见过的词语 zzz']
    a, b = quiet(loaded.vectorizer_.transform, texts), quiet(rec.vectorizer_.transform, texts)
    if sp.issparse(a): assert (a != b).nnz == 0
    else: np.testing.assert_array_equal(a, b)


# ---- no pickle, no code at load ----

def test_no_file_is_a_pickle(saved):
    _, _, folder, _ = saved
    files = sorted(folder.iterdir())
    manifest = json.loads((folder/'model.json').read_text(encoding='utf-8'))
    assert {f.name for f in files} == set(manifest['files']) | {'model.json'}
    for f in files:
        head = f.read_bytes()[:8]
        assert not head.startswith(b'\x80'), f'{f.name} starts like a pickle'
        if f.suffix == '.npy':
            assert head[:6] == b'\x93NUMPY', f.name
            a = np.load(f, allow_pickle=False)
            assert a.dtype != object and not a.dtype.hasobject, f.name
        else: assert f.name == 'model.json', f'unexpected file {f.name}'
        meta = manifest['files'].get(f.name)
        if meta: assert hashlib.sha256(f.read_bytes()).hexdigest() == meta['sha256']


def test_loading_unpickles_nothing(saved, monkeypatch):
    "With every unpickling entry point broken and np.load checked for allow_pickle=False, loading still works"
    _, rec, folder, _ = saved
    def refuse(*a, **kw): raise AssertionError('loading a model must not unpickle')
    for name in ('load', 'loads', 'Unpickler'): monkeypatch.setattr(pickle, name, refuse)
    real_load = np.load
    def checked_load(*a, **kw):
        assert kw.get('allow_pickle') is False, 'np.load must be called with allow_pickle=False'
        return real_load(*a, **kw)
    monkeypatch.setattr(np, 'load', checked_load)
    loaded = load_recommender(folder)
    assert loaded.recommend(HISTORIES[1], k=3).item_id.tolist() == rec.recommend(HISTORIES[1], k=3).item_id.tolist()


# ---- the guard: every attribute of every object in a fitted model is known ----

def objects(obj, seen=None):
    "Every object of a fitted model that persist writes as an object (recommender, vectorizers, tokenizers, …)"
    seen = {} if seen is None else seen
    if type(obj).__name__ in persist._CLASSES and id(obj) not in seen:
        seen[id(obj)] = obj
        for v in vars(obj).values(): objects(v, seen)
    elif isinstance(obj, (list, tuple)):
        for v in obj: objects(v, seen)
    elif isinstance(obj, dict) and len(obj) < 64:
        for v in obj.values(): objects(v, seen)
    return list(seen.values())


def test_every_attribute_is_known(saved):
    "Fails when llmrec adds fitted state that persist would silently drop: add it to FITTED or NOT_SAVED"
    features, rec, _, loaded = saved
    quiet(rec.recommend, HISTORIES[0])                        # queries may build caches: those must be known too
    found = objects(rec)
    names = {type(o).__name__ for o in found}
    assert {'ContentRecommender', 'MemoTokenizer'} <= names
    for o in found: assert unknown_attributes(o) == [], (type(o).__name__, unknown_attributes(o))
    assert set(vars(rec)) == set(vars(loaded)), set(vars(rec)) ^ set(vars(loaded))
    for o in objects(loaded): assert unknown_attributes(o) == []


def test_fitted_lists_name_real_attributes(fitted):
    "Every FITTED name of the recommender is set by fit (no stale entries hiding a rename)"
    _, rec = fitted
    assert set(FITTED['ContentRecommender']) <= set(vars(rec))
    assert set(NOT_SAVED['ContentRecommender']) <= set(vars(rec))


def test_unknown_attribute_fails_loudly(tmp_path):
    rec = ContentRecommender().fit(sample_items())
    rec.new_state_ = np.zeros(3)
    with pytest.raises(TypeError, match=r"Cannot save `ContentRecommender`: ContentRecommender has attribute\(s\) \['new_state_'\]"):
        save_recommender(rec, tmp_path/'m')
    del rec.new_state_
    rec.vectorizer_.extra_ = 1
    with pytest.raises(TypeError, match=r"Cannot save `vectorizer_`: TfidfVectorizer has attribute\(s\) \['extra_'\]"):
        save_recommender(rec, tmp_path/'m')
    assert not (tmp_path/'m').exists() and list(tmp_path.iterdir()) == []


# ---- tokenizers ----

@pytest.fixture
def user_dict(tmp_path):
    f = tmp_path/'dict.txt'
    f.write_text('骁龙8 100 n\n降噪豆 50\n超长续航\n', encoding='utf-8')
    return f


TOKENIZERS = {
    'jieba': lambda d: JiebaTokenizer(mode='accurate', user_words=['蓝牙降噪', ('长续航', 5)], user_dicts=[d], stop_words=['的', '和'], hmm=False),
    'jieba-one-dict': lambda d: JiebaTokenizer(user_dicts=str(d), stop_words=None),
    'rjieba': lambda d: JiebaTokenizer(mode='search', user_dicts=(d,), backend='rjieba'),
    'normalized': lambda d: NormalizedTokenizer(JiebaTokenizer(mode='search', user_dicts=[d]),
                                                TokenNormalizer(stem=False, aliases={'耳麦': ('头戴', '耳机')}, units=True)),
    'normalized-defaults': lambda d: NormalizedTokenizer(),
    'char': lambda d: CharNgramTokenizer(ngram_range=(1, 3), stop_words=frozenset({'的'})),
    'llm': lambda d: LLMTokenizer(vocab='qwen2.5', lowercase=False),
}


@pytest.mark.parametrize('name', TOKENIZERS)
def test_tokenizers_round_trip(name, user_dict, tmp_path, catalog):
    tok = TOKENIZERS[name](user_dict)
    rec = quiet(ContentRecommender(tokenizer=tok).fit, catalog, text_cols=CATALOG_TEXT_COLS)
    folder = save_recommender(rec, tmp_path/'m')
    user_dict.unlink()                                        # the model holds its own copy
    loaded = load_recommender(folder)
    assert type(loaded.tokenizer) is type(tok)
    assert loaded.vectorizer_.tokenizer.tokenizer is loaded.tokenizer        # shared, as in the fitted model
    text = '一副降噪豆耳麦，骁龙8超长续航的蓝牙降噪耳机和128G手机'
    assert loaded.tokenizer(text) == rec.tokenizer(text)
    for h in HISTORIES[:3]:
        pd.testing.assert_frame_equal(quiet(loaded.recommend, h, k=10), quiet(rec.recommend, h, k=10), check_exact=True)
    import shutil; shutil.rmtree(folder)                      # the dictionaries were read at load: still works
    assert quiet(loaded.recommend, ['超长续航 降噪豆'], k=3).item_id.tolist() == quiet(rec.recommend, ['超长续航 降噪豆'], k=3).item_id.tolist()


def test_user_dictionaries_are_copied(user_dict, tmp_path):
    rec = ContentRecommender(tokenizer=JiebaTokenizer(user_dicts=[user_dict, user_dict])).fit(sample_items())
    folder = save_recommender(rec, tmp_path/'m')
    copies = sorted(folder.glob('*.txt'))
    assert [f.read_bytes() for f in copies] == [user_dict.read_bytes()]      # identical copies are stored once
    assert {f.suffix for f in folder.iterdir()} == {'.npy', '.txt', '.json'}
    loaded = load_recommender(folder)
    assert [Path(p).parent for p in loaded.tokenizer.user_dicts] == [folder, folder]
    user_dict.unlink()
    with pytest.raises(FileNotFoundError, match=r"Cannot save `tokenizer.user_dicts`: the user dictionary .*dict\.txt' does not exist"):
        save_recommender(rec, tmp_path/'m2')


@pytest.mark.parametrize('tokenizer, what', [
    (lambda s: list(s), 'the function `<lambda>`'),
    (str.split, 'the function `str.split`'),
    (None, None)])
def test_unsavable_tokenizer_is_a_type_error_at_save(tokenizer, what, tmp_path):
    class Mine:
        def __call__(self, s): return s.split()
    tok = Mine() if tokenizer is None else tokenizer
    what = what or 'a test_persist.Mine'
    rec = ContentRecommender(tokenizer=tok).fit(sample_items())
    with pytest.raises(TypeError, match='Cannot save `tokenizer`: it is ' + what.replace('(', r'\(').replace('.', r'\.')):
        save_recommender(rec, tmp_path/'m')
    assert list(tmp_path.iterdir()) == []


def test_wrapped_unsavable_tokenizer_names_its_place(tmp_path):
    rec = ContentRecommender(tokenizer=NormalizedTokenizer(tokenizer=lambda s: s.split())).fit(sample_items())
    with pytest.raises(TypeError, match='Cannot save `tokenizer.tokenizer`: it is the function `<lambda>`'):
        save_recommender(rec, tmp_path/'m')


def test_subclassed_tokenizer_is_refused(tmp_path):
    class Custom(JiebaTokenizer): pass
    rec = ContentRecommender(tokenizer=Custom()).fit(sample_items())
    with pytest.raises(TypeError, match='Cannot save `tokenizer`: it is a test_persist.*Custom'):
        save_recommender(rec, tmp_path/'m')


# ---- ids and display columns keep their types ----

def test_int_and_mixed_ids_keep_their_types(tmp_path):
    for ids in ([10, 20, 30, 40], ['1', 1, 2.5, False], [f'sku-{i}' for i in range(4)], [np.iinfo(np.int64).max, -1, 0, 2**40]):
        items = pd.DataFrame({'item_id': pd.Series(ids, dtype=object), 'text': ['蓝牙耳机', '降噪耳机', '智能手机', '笔记本电脑']})
        rec = ContentRecommender().fit(items)
        loaded = load_recommender(save_recommender(rec, tmp_path/'m'))
        assert [(type(v), v) for v in loaded.item_ids_] == [(type(v), v) for v in rec.item_ids_]
        assert loaded._row_of == rec._row_of
        h = [str(ids[0])]
        pd.testing.assert_frame_equal(loaded.recommend(h, k=3), rec.recommend(h, k=3), check_exact=True)


def test_big_ints_that_do_not_fit_int64(tmp_path):
    items = pd.DataFrame({'item_id': pd.Series([2**70, 1], dtype=object), 'text': ['蓝牙耳机', '降噪耳机']})
    rec = ContentRecommender().fit(items)
    loaded = load_recommender(save_recommender(rec, tmp_path/'m'))
    assert loaded.item_ids_.tolist() == [2**70, 1]


def test_display_columns_keep_dtypes_and_missing_values(tmp_path):
    n = 20
    items = pd.DataFrame({
        'item_id': [f'i{i}' for i in range(n)], 'text': [f'蓝牙耳机 型号{i}' for i in range(n)],
        'title': [None if i % 5 == 0 else f'耳机{i}' for i in range(n)],
        'price': [np.nan if i % 3 == 0 else 10.0 * i for i in range(n)],
        'stock': pd.array([None if i % 4 == 0 else i for i in range(n)], dtype='Int64'),
        'in_stock': [bool(i % 2) for i in range(n)],
        'grade': pd.Categorical([('A', 'B', None)[i % 3] for i in range(n)], categories=['B', 'A'], ordered=True),
        'note': pd.Series([(None, float('nan'), 'x', 3)[i % 4] for i in range(n)], dtype=object),
        'since': pd.date_range('2026-01-01', periods=n, freq='D'),
        'na_str': pd.array([None if i % 2 else f's{i}' for i in range(n)], dtype=pd.StringDtype('python', pd.NA))})
    cols = [c for c in items.columns if c not in ('item_id', 'text')]
    rec = ContentRecommender().fit(items, display_cols=cols)
    loaded = load_recommender(save_recommender(rec, tmp_path/'m'))
    pd.testing.assert_frame_equal(loaded.display_, rec.display_, check_exact=True)
    assert loaded.display_.dtypes.tolist() == rec.display_.dtypes.tolist()
    assert [type(v) for v in loaded.display_.note] == [type(v) for v in rec.display_.note]
    pd.testing.assert_frame_equal(loaded.recommend(['蓝牙耳机 型号3'], k=5), rec.recommend(['蓝牙耳机 型号3'], k=5), check_exact=True)
    assert loaded._by_title == rec._by_title


def test_unsavable_display_column(tmp_path):
    items = sample_items().assign(period=pd.period_range('2026-01', periods=10, freq='M'))
    rec = ContentRecommender().fit(items, display_cols=['period'])
    with pytest.raises(TypeError, match=r"Cannot save `display_.period` \(column 'period'\): llmrec cannot save dtype period"):
        save_recommender(rec, tmp_path/'m')


def test_odd_strings_round_trip(tmp_path):
    texts = ['蓝牙耳机\x00', '  降噪耳机 ', 'emoji 🎧 耳机', 'RTL \u202e 耳机'] + [f'耳机{i}' for i in range(16)]
    items = pd.DataFrame({'item_id': [f'{t}#{i}' for i, t in enumerate(texts)], 'text': texts, 'title': texts})
    rec = quiet(ContentRecommender().fit, items)
    loaded = load_recommender(save_recommender(rec, tmp_path/'m'))
    assert loaded.item_ids_.tolist() == rec.item_ids_.tolist() and loaded.display_.title.tolist() == texts
    pd.testing.assert_frame_equal(quiet(loaded.recommend, ['耳机'], k=5), quiet(rec.recommend, ['耳机'], k=5), check_exact=True)


# ---- saving: where, replacing, determinism ----

def test_saving_is_deterministic_and_replaces_a_saved_model(tmp_path):
    rec = ContentRecommender().fit(sample_items())
    a = save_recommender(rec, tmp_path/'a')
    b = save_recommender(rec, tmp_path/'b')
    read = lambda d: {f.name: f.read_bytes() for f in d.iterdir()}
    assert read(a) == read(b)
    other = ContentRecommender(features='bow').fit(sample_items())
    save_recommender(other, a)                                # replaces the model that was there
    assert load_recommender(a).features == 'bow'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a', 'b']        # no temporary folders left


def test_refuses_folders_that_are_not_models(tmp_path):
    rec = ContentRecommender().fit(sample_items())
    (tmp_path/'data').mkdir(); (tmp_path/'data'/'notes.txt').write_text('keep me')
    with pytest.raises(FileExistsError, match='data: the folder is not empty and holds no saved model'):
        save_recommender(rec, tmp_path/'data')
    assert (tmp_path/'data'/'notes.txt').read_text() == 'keep me'
    (tmp_path/'file').write_text('x')
    with pytest.raises(FileExistsError, match='file: exists and is not a folder'):
        save_recommender(rec, tmp_path/'file')
    (tmp_path/'empty').mkdir()
    assert load_recommender(save_recommender(rec, tmp_path/'empty')).features == 'tfidf'
    assert load_recommender(save_recommender(rec, tmp_path/'new'/'nested'/'m')).features == 'tfidf'


def test_save_checks_its_input(tmp_path):
    with pytest.raises(NotFittedError): save_recommender(ContentRecommender(), tmp_path/'m')
    with pytest.raises(TypeError, match='`rec` must be a fitted ContentRecommender, got dict'): save_recommender({}, tmp_path/'m')
    class Sub(ContentRecommender): pass
    with pytest.raises(TypeError, match='got Sub'): save_recommender(Sub().fit(sample_items()), tmp_path/'m')


def test_methods_save_and_load(tmp_path):
    rec = ContentRecommender().fit(sample_items())
    rec.save(tmp_path/'m')
    pd.testing.assert_frame_equal(ContentRecommender.load(tmp_path/'m').recommend(['耳机'], k=3), rec.recommend(['耳机'], k=3))


def test_loads_in_another_process(tmp_path, catalog):
    "Saved in a fresh interpreter with another hash seed, loaded here: the same answers"
    code = ('import warnings; warnings.simplefilter("ignore"); from llmrec.data import load_catalog, CATALOG_TEXT_COLS; '
            'from llmrec.recommend import ContentRecommender; import sys; '
            'ContentRecommender(features="w2v").fit(load_catalog(), text_cols=CATALOG_TEXT_COLS).save(sys.argv[1])')
    env = {**os.environ, 'PYTHONHASHSEED': '123'}
    subprocess.run([sys.executable, '-c', code, str(tmp_path/'m')], check=True, env=env, timeout=300)
    loaded = load_recommender(tmp_path/'m')
    here = quiet(ContentRecommender(features='w2v').fit, catalog, text_cols=CATALOG_TEXT_COLS)
    assert_same_frames(loaded.recommend(HISTORIES[0], k=10), here.recommend(HISTORIES[0], k=10), dense=True)


# ---- damaged folders: clear errors naming the path ----

@pytest.fixture
def model(tmp_path):
    rec = ContentRecommender(features='lsa', n_components=5).fit(sample_items(), popularity_col=None)
    return save_recommender(rec, tmp_path/'m')


def manifest(folder): return json.loads((folder/'model.json').read_text(encoding='utf-8'))


def rewrite(folder, m): (folder/'model.json').write_text(json.dumps(m), encoding='utf-8')


def test_missing_folder_and_manifest(tmp_path):
    with pytest.raises(FileNotFoundError, match='nowhere: no such folder'): load_recommender(tmp_path/'nowhere')
    (tmp_path/'empty').mkdir()
    with pytest.raises(FileNotFoundError, match=r'empty[/\\]model\.json: not found, so .*empty is not a saved llmrec model'):
        load_recommender(tmp_path/'empty')


def test_missing_array_file(model):
    (model/'item_matrix_.npy').unlink()
    with pytest.raises(FileNotFoundError, match=r'item_matrix_\.npy: missing from the saved model'): load_recommender(model)


@pytest.mark.parametrize('how', ['flip', 'truncate', 'append', 'swap'])
def test_tampered_array_file(model, how):
    f = model/'item_matrix_.npy'
    data = bytearray(f.read_bytes())
    if how == 'flip': data[-3] ^= 0x10
    elif how == 'truncate': data = data[:-4]
    elif how == 'append': data += b'\x00'
    else: data = (model/'vectorizer_.steps.tfidf._tfidf.idf_.npy').read_bytes()
    f.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r'item_matrix_\.npy: its contents do not match the checksum in model\.json'):
        load_recommender(model)


def test_pickle_smuggled_in_with_a_matching_checksum(model):
    "Even with model.json edited to match, an object (pickled) array is refused, not unpickled"
    f = model/'item_matrix_.npy'
    np.save(f, np.array([{'x': 1}], dtype=object), allow_pickle=True)
    m = manifest(model)
    m['files']['item_matrix_.npy'] = {'sha256': hashlib.sha256(f.read_bytes()).hexdigest(), 'bytes': f.stat().st_size}
    rewrite(model, m)
    with pytest.raises(ValueError, match=r'item_matrix_\.npy: not a plain \.npy array'): load_recommender(model)


def test_consistently_edited_arrays_fail_with_a_sentence(model):
    f = model/'item_matrix_.npy'
    np.save(f, np.zeros((3, 5), dtype=np.float32), allow_pickle=False)
    m = manifest(model)
    m['files']['item_matrix_.npy'] = {'sha256': hashlib.sha256(f.read_bytes()).hexdigest(), 'bytes': f.stat().st_size}
    rewrite(model, m)
    with pytest.raises(ValueError, match=r'model\.json: item_matrix_ has 3 rows for 10 items'): load_recommender(model)


@pytest.mark.parametrize('version, hint', [(2, 'Upgrade llmrec to load it.'), (0, 'Fit and save the model again.'),
                                           ('1', 'Fit and save the model again.')])
def test_other_format_version(model, version, hint):
    rewrite(model, {**manifest(model), 'version': version})
    with pytest.raises(ValueError, match=rf"model\.json: the model was saved in format version {version!r} \(by llmrec "
                                         rf"{llmrec.__version__}\), but llmrec {llmrec.__version__} reads version 1\. {hint}"):
        load_recommender(model)


@pytest.mark.parametrize('edit, message', [
    (lambda m: '{"format": ', 'not valid JSON'),
    (lambda m: {**m, 'format': 'other'}, 'it is not an llmrec model description'),
    (lambda m: [m], 'it is not an llmrec model description'),
    (lambda m: {k: v for k, v in m.items() if k != 'files'}, 'its `files` or `model` entry is missing'),
    (lambda m: {**m, 'files': {**m['files'], '../outside.npy': {}}}, "it lists '../outside.npy', which is not a file name"),
    (lambda m: {**m, 'model': {'object': {**m['model']['object'], 'class': 'os.system'}}}, "it names the class 'os.system'"),
    (lambda m: {**m, 'model': {'eval': 'print(1)'}}, 'it holds an entry llmrec cannot read'),
    (lambda m: {**m, 'model': {'object': {k: v for k, v in m['model']['object'].items() if k != 'params'}}}, 'an entry is malformed'),
    (lambda m: {**m, 'model': {'object': {**m['model']['object'], 'fitted': {**m['model']['object']['fitted'], '__class__': 1}}}},
     "ContentRecommender attribute '__class__' is not one llmrec loads"),
    (lambda m: {**m, 'model': {'function': 'os.system'}}, 'an entry is malformed'),
    (lambda m: {**m, 'model': {'ref': 7}}, 'it refers to object 7 before defining it'),
    (lambda m: {**m, 'model': {'array': 'nope.npy'}}, "it refers to the file 'nope.npy', which it does not list"),
    (lambda m: {**m, 'model': {'object': {**m['model']['object'], 'params': {'bogus': 1}}}}, 'ContentRecommender does not take its saved parameters'),
])
def test_tampered_manifest(model, edit, message):
    m = edit(manifest(model))
    (model/'model.json').write_text(m if isinstance(m, str) else json.dumps(m), encoding='utf-8')
    with pytest.raises(ValueError) as e: load_recommender(model)
    assert 'model.json: ' in str(e.value) and message in str(e.value) and 'Save the model again.' in str(e.value), str(e.value)


def test_missing_listed_file_is_reported_before_decoding(model):
    m = manifest(model)
    m['files']['extra.npy'] = {'sha256': '0' * 64, 'bytes': 1}
    rewrite(model, m)
    with pytest.raises(FileNotFoundError, match=r'extra\.npy: missing from the saved model'): load_recommender(model)


# ---- size on the bundled catalog ----

def test_bundled_catalog_model_is_small(tmp_path, catalog):
    rec = ContentRecommender().fit(catalog, text_cols=CATALOG_TEXT_COLS, popularity_col='sales')
    folder = save_recommender(rec, tmp_path/'m')
    size = sum(f.stat().st_size for f in folder.iterdir())
    assert size < 1_000_000, size


# ---- saving never deletes what is not a saved model ----

def test_foreign_model_json_is_refused_and_kept(tmp_path):
    "A folder with someone else's model.json (valid JSON or not) is left exactly as it was"
    rec = ContentRecommender().fit(sample_items())
    for name, text in (('proj', '{"name": "unrelated"}'), ('broken', '{"format": '), ('other', '{"format": "other", "files": {}}')):
        d = tmp_path/name; (d/'src').mkdir(parents=True)
        (d/'model.json').write_text(text); (d/'src'/'code.py').write_text('print(1)'); (d/'README.md').write_text('notes')
        with pytest.raises(FileExistsError, match=rf'{name}[/\\]model\.json: not an llmrec model description'):
            save_recommender(rec, d)
        assert (d/'model.json').read_text() == text and (d/'src'/'code.py').read_text() == 'print(1)'
        assert (d/'README.md').read_text() == 'notes'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['broken', 'other', 'proj']      # no leftovers beside them


def test_saved_model_with_extra_files_is_refused_and_kept(tmp_path):
    rec = ContentRecommender().fit(sample_items())
    folder = save_recommender(rec, tmp_path/'m')
    (folder/'notes.txt').write_text('keep me'); (folder/'sub').mkdir()
    with pytest.raises(FileExistsError, match=r"besides a saved model the folder holds \['notes.txt', 'sub'\]"):
        save_recommender(rec, folder)
    assert (folder/'notes.txt').read_text() == 'keep me' and (folder/'sub').is_dir()
    (folder/'notes.txt').unlink(); (folder/'sub').rmdir()
    save_recommender(rec, folder)                                           # only the model: replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ['m']              # no `.m.old-PID` left behind


def test_symlinked_target_is_refused(tmp_path):
    rec = ContentRecommender().fit(sample_items())
    real = save_recommender(rec, tmp_path/'real')
    before = {p.name: p.read_bytes() for p in real.iterdir()}
    (tmp_path/'link').symlink_to(real, target_is_directory=True)
    with pytest.raises(FileExistsError, match=r'link: is a symbolic link; pass the folder it points to'):
        save_recommender(ContentRecommender(features='bow').fit(sample_items()), tmp_path/'link')
    assert (tmp_path/'link').is_symlink() and {p.name: p.read_bytes() for p in real.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ['link', 'real']


# ---- tampered folders, checksums updated to match: the damaged error, never a crash ----

@pytest.fixture(scope='module')
def models(tmp_path_factory):
    "A saved sparse (tfidf, with popularity), LSA and word2vec model on the sample items"
    items = sample_items().assign(sales=np.arange(10.0))
    root = tmp_path_factory.mktemp('clean')
    return {f: save_recommender(quiet(ContentRecommender(features=f, n_components=5).fit, items, popularity_col='sales'), root/f)
            for f in ('tfidf', 'lsa', 'w2v')}


def put_array(folder, fname, a):
    "Overwrite `fname` with array `a` and update its checksum in model.json, as a careful editor would"
    np.save(folder/fname, a, allow_pickle=False)
    m = manifest(folder)
    m['files'][fname] = {'sha256': hashlib.sha256((folder/fname).read_bytes()).hexdigest(), 'bytes': (folder/fname).stat().st_size}
    rewrite(folder, m)


def objects_of(x, cls):
    "The bodies of every saved object of class `cls` in the JSON value `x`"
    if isinstance(x, list): return [o for v in x for o in objects_of(v, cls)]
    if not isinstance(x, dict): return []
    here = [x['object']] if 'object' in x and isinstance(x['object'], dict) and x['object'].get('class') == cls else []
    return here + [o for v in x.values() for o in objects_of(v, cls)]


def edit_params(cls, **params):
    def edit(folder):
        m = manifest(folder)
        for o in objects_of(m['model'], cls): o['params'].update(params)
        rewrite(folder, m)
    return edit


def edit_array(fname, f):
    return lambda folder: put_array(folder, fname, f(np.load(folder/fname, allow_pickle=False)))


def nest(depth):
    def edit(folder):
        m = manifest(folder)
        m['model']['object']['params']['seed'] = 'NESTED'
        text = json.dumps(m).replace('"NESTED"', '[' * depth + ']' * depth)    # too deep for json.dumps itself
        (folder/'model.json').write_text(text, encoding='utf-8')
    return edit


def ids(values):
    def edit(folder):
        m = manifest(folder)
        m['model']['object']['fitted']['item_ids_'] = {'objects': {'scalars': values}}
        rewrite(folder, m)
    return edit


VOCAB, IDF = 'vectorizer_.vocabulary_.values.npy', 'vectorizer_._tfidf.idf_.npy'
TAMPERED = {   # name: (features, edit, words of the message)
    'vocab negative': ('tfidf', edit_array(VOCAB, lambda v: -np.arange(1, len(v) + 1)), 'vocabulary_ does not number its'),
    'vocab out of range': ('tfidf', edit_array(VOCAB, lambda v: v + len(v)), 'vocabulary_ does not number its'),
    'vocab repeats': ('tfidf', edit_array(VOCAB, np.zeros_like), 'vocabulary_ does not number its'),
    'idf short': ('tfidf', edit_array(IDF, lambda v: v[:3]), '_tfidf.idf_ is not a'),
    'idf nan': ('tfidf', edit_array(IDF, lambda v: np.full_like(v, np.nan)), 'idf_ holds values that are not finite'),
    'csr indices': ('tfidf', edit_array('item_matrix_.indices.npy', lambda v: v + 10**6), 'not a valid CSR matrix'),
    'csr data inf': ('tfidf', edit_array('item_matrix_.data.npy', lambda v: np.full_like(v, np.inf)), 'item_matrix_.data holds values that are not finite'),
    'popularity negative': ('tfidf', edit_array('popularity_.npy', lambda v: -v - 1), 'popularity_ holds negative values'),
    'popularity 2-D': ('tfidf', edit_array('popularity_.npy', lambda v: np.stack([v, v], 1)), 'popularity_ is not a'),
    'ids repeat': ('tfidf', ids(['a'] * 10), 'item_ids_: `item_id` must be unique'),
    'ids too few': ('tfidf', ids(['a', 'b']), 'has 10 rows for 2 items'),
    'features': ('tfidf', edit_params('ContentRecommender', features='bogus'), '`features` must be one of'),
    'aggregate': ('tfidf', edit_params('ContentRecommender', aggregate='bogus'), '`aggregate` must be one of'),
    'diversity': ('tfidf', edit_params('ContentRecommender', diversity=5), '`diversity` must be in [0, 1], got 5'),
    'half_life': ('tfidf', edit_params('ContentRecommender', half_life=-1), '`half_life` must be None or a positive'),
    'n_terms': ('tfidf', edit_params('ContentRecommender', n_terms=0), '`n_terms` must be a positive int'),
    'input': ('tfidf', edit_params('TfidfVectorizer', input='filename'), "parameter(s) ['input'] unlike"),
    'analyzer': ('tfidf', edit_params('TfidfVectorizer', analyzer='char'), "parameter(s) ['analyzer'] unlike"),
    'backend': ('tfidf', edit_params('JiebaTokenizer', backend='bogus'), "`backend` must be"),
    'user dict outside': ('tfidf', edit_params('JiebaTokenizer', user_dicts=[os.devnull]), 'are not copies inside the model folder'),
    'int8 overflow': ('tfidf', edit_params('ContentRecommender', n_terms={'scalar': ['|i1', 300]}), 'it holds the scalar ["|i1", 300]'),
    'object scalar': ('tfidf', edit_params('ContentRecommender', n_terms={'scalar': ['|O', 1]}), 'not a value of a number type'),
    'nest 60000': ('tfidf', nest(60000), 'not valid JSON'),
    'nest 200': ('tfidf', nest(200), 'its entries nest deeper than 64 levels'),
    'svd components': ('lsa', edit_array('vectorizer_.steps.lsa.components_.npy', lambda v: v[:, :3]), 'lsa.components_ is not a'),
    'w2v vectors': ('w2v', edit_array('vectorizer_.wv_.vectors.npy', lambda v: v[:2]), 'wv_.vectors is not a'),
    'w2v nan': ('w2v', edit_array('vectorizer_.sif_weights_.npy', lambda v: v * np.nan), 'sif_weights_ holds values that are not finite'),
    'lsa rows': ('lsa', edit_array('item_matrix_.npy', lambda v: v[:, :2]), 'item_matrix_ is not a 10×5 array'),
}


@pytest.mark.parametrize('name', list(TAMPERED))
def test_tampered_model_gives_the_damaged_error(name, models, tmp_path):
    features, edit, message = TAMPERED[name]
    folder = Path(shutil.copytree(models[features], tmp_path/'m'))
    edit(folder)
    with pytest.raises(ValueError) as e: load_recommender(folder)
    assert type(e.value) is persist._Damaged, repr(e.value)
    assert str(e.value).startswith(str(folder/'model.json')) or str(folder) in str(e.value)
    assert message in str(e.value) and 'Save the model again.' in str(e.value), str(e.value)


def test_untampered_models_still_load_and_answer(models):
    for features, folder in models.items():
        assert len(quiet(load_recommender(folder).recommend, ['耳机'], k=3)) == 3, features


def test_negative_vocabulary_does_not_crash_the_interpreter(models, tmp_path):
    "The segfault reproducer: run in a subprocess, which must end with the damaged error, not a signal"
    folder = Path(shutil.copytree(models['tfidf'], tmp_path/'m'))
    TAMPERED['vocab negative'][1](folder)
    code = ('import sys, warnings; warnings.simplefilter("ignore")\n'
            'from llmrec.persist import load_recommender\n'
            'try: rec = load_recommender(sys.argv[1])\n'
            'except ValueError as e: print(e); sys.exit(3)\n'
            'print(rec.recommend(["笔记本电脑"], k=3))\n')
    r = subprocess.run([sys.executable, '-c', code, str(folder)], capture_output=True, text=True, timeout=300)
    assert r.returncode >= 0, f'killed by signal {-r.returncode}'
    assert r.returncode == 3 and 'vocabulary_ does not number its' in r.stdout, (r.returncode, r.stdout, r.stderr)
