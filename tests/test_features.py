"The Chinese-ready scikit-learn vectorizers and `top_terms` of `llmrec.features`."
import pickle
import numpy as np, pandas as pd, scipy.sparse as sp
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from llmrec.clean import clean_text
from llmrec.core import EmptyVocabularyError, sample_items
from llmrec.features import bow_vectorizer, tfidf_vectorizer, top_terms
from llmrec.tokens import JiebaTokenizer

ITEMS = sample_items()
TEXTS = list(ITEMS.text)
QUERIES = ['我想买一副耳机', '轻薄笔记本电脑', '看书', 'iPhone15ProMax', '完全没见过的词', '', '👍🏻 https://example.com',
           '<p>筆記型電腦 藍牙耳機</p>']
VECTORIZERS = [pytest.param(bow_vectorizer, CountVectorizer, id='bow'),
               pytest.param(tfidf_vectorizer, TfidfVectorizer, id='tfidf')]


def same_matrix(A, B):
    "Exact equality of two sparse matrices: same shape and no differing entry."
    return A.shape == B.shape and (A != B).nnz == 0

# ---------------------------------------------------------------------------------------------------------------
# Configuration

@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_is_configured_sklearn_vectorizer(make, cls):
    vec = make()
    assert type(vec) is cls
    assert vec.token_pattern is None and vec.lowercase is False
    assert vec.preprocessor is clean_text and isinstance(vec.tokenizer, JiebaTokenizer)


def test_tfidf_sublinear_by_default_and_overridable():
    assert tfidf_vectorizer().sublinear_tf is True
    assert tfidf_vectorizer(sublinear_tf=False).sublinear_tf is False


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_each_call_gets_its_own_tokenizer(make, cls):
    assert make().tokenizer is not make().tokenizer


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_own_tokenizer_and_overrides_are_respected(make, cls):
    tok = JiebaTokenizer(mode='search')
    vec = make(tokenizer=tok, lowercase=True, preprocessor=None)
    assert vec.tokenizer is tok and vec.lowercase is True and vec.preprocessor is None


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_vocabulary_of_sample_catalog(make, cls):
    vec = make()
    X = vec.fit_transform(ITEMS.text)
    assert X.shape == (10, len(vec.vocabulary_))
    vocab = set(vec.get_feature_names_out())
    assert {'笔记本电脑', '耳机', '16gb', '128gb', '5g', '4k', 't恤', '屏'} <= vocab
    assert not {'的', '和', '一个'} & vocab
    assert all(t == t.lower() for t in vocab)


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_one_character_words_in_vocabulary(make, cls):
    vec = make().fit(['这本书', '一块表', '这块屏', '书'])
    assert set(vec.get_feature_names_out()) == {'书', '表', '屏'}


def test_bow_counts_after_cleaning():
    bow = bow_vectorizer().fit(ITEMS.text)
    assert bow.transform(['我想买一副耳机']).sum() == 1
    X = bow.transform(['<p>藍牙耳機 耳机！👍</p>'])      # cleaned (traditional → simplified) before counting
    assert X[0, bow.vocabulary_['耳机']] == 2 and X[0, bow.vocabulary_['蓝牙']] == 1


def test_tfidf_rows_unit_length():
    T = tfidf_vectorizer().fit_transform(ITEMS.text)
    np.testing.assert_allclose(sp.linalg.norm(T, axis=1), np.ones(10), rtol=1e-6)
    sims = (T @ T.T).toarray()
    assert sims[3, 0] > sims[3, 8]      # the tablet is nearer the laptop than the juice

# ---------------------------------------------------------------------------------------------------------------
# scikit-learn parameters pass through

def test_min_df_passes_through():
    vec = bow_vectorizer(min_df=2)
    assert vec.min_df == 2
    X = vec.fit_transform(ITEMS.text)
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    assert len(df) > 0 and (df >= 2).all()
    assert len(vec.vocabulary_) < len(bow_vectorizer().fit(ITEMS.text).vocabulary_)


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_ngram_range_passes_through(make, cls):
    vec = make(ngram_range=(1, 2)).fit(ITEMS.text)
    names = set(vec.get_feature_names_out())
    assert '蓝牙 耳机' in names and '耳机' in names
    assert set(make(ngram_range=(2, 2)).fit(ITEMS.text).get_feature_names_out()) == {n for n in names if ' ' in n}


def test_binary_passes_through():
    docs = ['耳机 耳机 耳机', '手机']
    assert bow_vectorizer().fit_transform(docs).max() == 3
    assert bow_vectorizer(binary=True).fit_transform(docs).max() == 1


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_max_features_passes_through(make, cls):
    vec = make(max_features=5).fit(ITEMS.text)
    assert len(vec.get_feature_names_out()) == 5
    assert {'耳机', '蓝牙'} <= set(vec.get_feature_names_out())    # the most frequent words of the catalog


@pytest.mark.parametrize('kw', [dict(min_df=2), dict(max_df=0.5), dict(ngram_range=(1, 2)), dict(binary=True),
                                dict(max_features=7), dict(dtype=np.float32)], ids=lambda kw: next(iter(kw)))
@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_any_param_is_stored_under_its_sklearn_name(make, cls, kw):
    params = make(**kw).get_params()
    for name, value in kw.items(): assert params[name] == value

# ---------------------------------------------------------------------------------------------------------------
# clone and pickle

@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_clone_gives_same_output(make, cls):
    vec = make(ngram_range=(1, 2), min_df=1)
    twin = clone(vec)
    assert type(twin) is cls and twin is not vec and twin.tokenizer is not vec.tokenizer
    assert twin.get_params().keys() == vec.get_params().keys()
    X, Y = vec.fit_transform(TEXTS), twin.fit_transform(TEXTS)
    assert list(vec.get_feature_names_out()) == list(twin.get_feature_names_out())
    assert same_matrix(X, Y)
    assert same_matrix(vec.transform(QUERIES), twin.transform(QUERIES))


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_clone_of_fitted_is_unfitted(make, cls):
    twin = clone(make().fit(TEXTS))
    assert not hasattr(twin, 'vocabulary_')


@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_pickle_fitted_vectorizer(make, cls):
    vec = make().fit(TEXTS)
    restored = pickle.loads(pickle.dumps(vec))
    assert restored.vocabulary_ == vec.vocabulary_
    for docs in (TEXTS, QUERIES):
        A, B = restored.transform(docs), vec.transform(docs)
        assert same_matrix(A, B)


def test_pickle_fitted_vectorizer_with_user_words():
    vec = tfidf_vectorizer(tokenizer=JiebaTokenizer(user_words=['降噪耳机'])).fit(TEXTS)
    assert '降噪耳机' in vec.vocabulary_
    restored = pickle.loads(pickle.dumps(vec))
    docs = ['降噪耳机', *TEXTS]
    assert same_matrix(restored.transform(docs), vec.transform(docs))
    assert restored.transform(['降噪耳机'])[0, vec.vocabulary_['降噪耳机']] > 0

# ---------------------------------------------------------------------------------------------------------------
# Empty vocabulary: what scikit-learn raises, for the recommender to wrap

@pytest.mark.parametrize('docs', [['的了吗', '我 你 他'], ['', '   '], ['👍🏻', 'https://example.com'], ['一台', '这本']],
                         ids=['stop-words', 'blank', 'noise', 'quantities'])
@pytest.mark.parametrize('make, cls', VECTORIZERS)
def test_empty_vocabulary_is_sklearn_value_error(make, cls, docs):
    "scikit-learn raises a plain ValueError (not llmrec's EmptyVocabularyError): callers must wrap it."
    with pytest.raises(ValueError, match='empty vocabulary') as e: make().fit(docs)
    assert e.type is ValueError and not isinstance(e.value, EmptyVocabularyError)

# ---------------------------------------------------------------------------------------------------------------
# top_terms

NAMES = ['a', 'b', 'c', 'd']
DENSE = np.array([[0.0, 0.5, 0.9, 0.1],
                  [0.0, 0.0, 0.0, 0.0],       # no terms: no rows in the result
                  [0.3, 0.3, 0.0, 0.3]])      # a three-way tie: vocabulary (column) order


def frame(rows):
    return pd.DataFrame(rows, columns=['item_id', 'term', 'weight', 'rank'])


def test_top_terms_dense():
    out = top_terms(DENSE, NAMES, k=2)
    expected = frame([(0, 'c', 0.9, 1), (0, 'b', 0.5, 2), (2, 'a', 0.3, 1), (2, 'b', 0.3, 2)])
    pd.testing.assert_frame_equal(out.reset_index(drop=True), expected, check_dtype=False)


@pytest.mark.parametrize('fmt', ['csr', 'csc', 'coo', 'lil'])
@pytest.mark.parametrize('kind', [sp.csr_matrix, sp.csr_array], ids=['matrix', 'array'])
def test_top_terms_sparse_equals_dense(fmt, kind):
    X = kind(DENSE).asformat(fmt)
    for k in (1, 2, 3, 10):
        pd.testing.assert_frame_equal(top_terms(X, NAMES, k=k), top_terms(DENSE, NAMES, k=k))


def test_top_terms_with_item_ids():
    out = top_terms(DENSE, NAMES, k=1, item_ids=['laptop', 'juice', 'phone'])
    assert out.item_id.tolist() == ['laptop', 'phone'] and out.term.tolist() == ['c', 'a']
    out = top_terms(DENSE, NAMES, k=1, item_ids=pd.Series([10, 20, 30], index=[7, 8, 9]))
    assert out.item_id.tolist() == [10, 30]


def test_top_terms_k_larger_than_terms_in_row():
    out = top_terms(DENSE, NAMES, k=50)
    assert out.groupby('item_id').size().to_dict() == {0: 3, 2: 3}
    assert out[out.item_id == 0].term.tolist() == ['c', 'b', 'd']
    assert out[out.item_id == 0]['rank'].tolist() == [1, 2, 3]


def test_top_terms_ties_by_vocabulary_order_whatever_the_storage_order():
    "Equal weights come out in column order even when the sparse row stores its columns shuffled."
    data, cols = np.array([1.0, 1.0, 2.0, 1.0, 1.0]), np.array([4, 0, 2, 3, 1])
    X = sp.csr_matrix((data, cols, np.array([0, 5])), shape=(1, 5))
    assert not X.has_sorted_indices
    out = top_terms(X, ['v', 'w', 'x', 'y', 'z'], k=5)
    assert out.term.tolist() == ['x', 'v', 'w', 'y', 'z']
    assert out['rank'].tolist() == [1, 2, 3, 4, 5]
    assert top_terms(X, ['v', 'w', 'x', 'y', 'z'], k=3).term.tolist() == ['x', 'v', 'w']


def test_top_terms_explicit_zeros_and_duplicates():
    "Stored zeros are not terms; duplicate entries (COO) are summed first."
    X = sp.coo_matrix((np.array([0.0, 0.2, 0.2, 0.3]), (np.array([0, 0, 0, 0]), np.array([0, 1, 1, 2]))), shape=(2, 3))
    out = top_terms(X, ['a', 'b', 'c'], k=5)
    assert out.term.tolist() == ['b', 'c'] and out.weight.tolist() == pytest.approx([0.4, 0.3])
    assert 1 not in out.item_id.tolist()


@pytest.mark.parametrize('X', [np.zeros((3, 4)), sp.csr_matrix((3, 4)), np.zeros((0, 4))], ids=['dense', 'sparse', 'no-rows'])
def test_top_terms_no_terms_gives_empty_frame(X):
    out = top_terms(X, NAMES, k=3, item_ids=[f'i{j}' for j in range(X.shape[0])])
    assert out.empty and list(out.columns) == ['item_id', 'term', 'weight', 'rank']


def test_top_terms_columns_and_types():
    out = top_terms(DENSE, NAMES, k=2, item_ids=['x', 'y', 'z'])
    assert list(out.columns) == ['item_id', 'term', 'weight', 'rank']
    assert out.weight.dtype == float and out['rank'].dtype.kind == 'i'


def test_top_terms_on_sample_catalog():
    vec = tfidf_vectorizer()
    T = vec.fit_transform(ITEMS.text)
    out = top_terms(T, vec.get_feature_names_out(), k=3, item_ids=ITEMS.item_id)
    assert set(out.item_id) == set(ITEMS.item_id)             # original ids, every item has terms
    assert out.groupby('item_id').size().max() == 3
    for _, g in out.groupby('item_id'):
        assert g.weight.is_monotonic_decreasing and g['rank'].tolist() == list(range(1, len(g) + 1))
    vocab, row = vec.vocabulary_, {item: i for i, item in enumerate(ITEMS.item_id)}
    for r in out.itertuples():            # each weight is the item's own TF-IDF weight for that term
        assert T[row[r.item_id], vocab[r.term]] == pytest.approx(r.weight)


@pytest.mark.parametrize('names', [['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e'], []], ids=len)
def test_top_terms_feature_names_mismatch(names):
    with pytest.raises(ValueError, match=f'`feature_names` has {len(names)} names but `X` has 4 columns'):
        top_terms(DENSE, names, k=2)


@pytest.mark.parametrize('ids', [['x', 'y'], ['w', 'x', 'y', 'z'], []], ids=len)
def test_top_terms_item_ids_mismatch(ids):
    with pytest.raises(ValueError, match=f'`item_ids` has {len(ids)} ids but `X` has 3 rows'):
        top_terms(DENSE, NAMES, k=2, item_ids=ids)


@pytest.mark.parametrize('k', [0, -1, 1.5, True, False, '3', None, np.nan])
def test_top_terms_bad_k(k):
    with pytest.raises(ValueError, match='`k` must be a positive int'): top_terms(DENSE, NAMES, k=k)


@pytest.mark.parametrize('k', [1, np.int64(2), np.int32(3)])
def test_top_terms_numpy_int_k(k):
    out = top_terms(DENSE, NAMES, k=k)
    assert out.groupby('item_id').size().max() == int(k)


def test_top_terms_does_not_modify_its_input():
    X = sp.csr_matrix((np.array([1.0, 0.0, 1.0, 0.5]), np.array([2, 1, 0, 2]), np.array([0, 3, 4])), shape=(2, 3))
    data, indices, indptr, nnz = X.data.copy(), X.indices.copy(), X.indptr.copy(), X.nnz
    top_terms(X, ['a', 'b', 'c'], k=2)
    assert X.nnz == nnz
    assert np.array_equal(X.data, data) and np.array_equal(X.indices, indices) and np.array_equal(X.indptr, indptr)
