"The Chinese-ready scikit-learn vectorizers, `top_terms`, `l2_normalize` and the LSA pipeline of `llmrec.features`."
import pickle
import numpy as np, pandas as pd, scipy.sparse as sp
import pytest
from sklearn.base import clone
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Normalizer
from llmrec.clean import clean_text
from llmrec.core import EmptyVocabularyError, sample_items
from llmrec.data import load_catalog
from llmrec.features import (TermSVD, bow_vectorizer, component_terms, l2_normalize, lsa_vectorizer, tfidf_vectorizer,
                             top_terms)
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

# ---------------------------------------------------------------------------------------------------------------
# l2_normalize

RAGGED = np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -2.0], [1.0, 1.0, 1.0]])
UNIT = np.array([[0.6, 0.8, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, -1.0], [1, 1, 1] / np.sqrt(3)])


@pytest.mark.parametrize('X', [RAGGED, RAGGED.astype(np.float32), RAGGED.astype(int), RAGGED.tolist(), pd.DataFrame(RAGGED)],
                         ids=['float64', 'float32', 'int', 'list', 'frame'])
def test_l2_normalize_dense_is_float32_unit_rows(X):
    out = l2_normalize(X)
    assert type(out) is np.ndarray and out.dtype == np.float32 and out.shape == (4, 3)
    np.testing.assert_allclose(out, UNIT, rtol=1e-6)
    assert not np.isnan(out).any() and (out[1] == 0).all()


@pytest.mark.parametrize('fmt', ['csr', 'csc', 'coo', 'lil'])
@pytest.mark.parametrize('kind', [sp.csr_matrix, sp.csr_array], ids=['matrix', 'array'])
def test_l2_normalize_sparse_stays_sparse_csr(kind, fmt):
    X = kind(RAGGED).asformat(fmt)
    out = l2_normalize(X)
    assert sp.issparse(out) and out.format == 'csr' and out.dtype == np.float64
    assert isinstance(out, sp.sparray) == isinstance(X, sp.sparray)          # matrix stays matrix, array stays array
    np.testing.assert_allclose(out.toarray(), UNIT, rtol=1e-12)


@pytest.mark.parametrize('dtype, expected', [(np.float32, np.float32), (np.float64, np.float64), (np.int64, np.float64)])
def test_l2_normalize_sparse_dtype(dtype, expected):
    out = l2_normalize(sp.csr_matrix(RAGGED.astype(dtype)))
    assert out.dtype == expected
    np.testing.assert_allclose(out.toarray(), UNIT, rtol=1e-6)


def test_l2_normalize_keeps_row_order_and_input():
    X = sp.csr_matrix(RAGGED)
    data = X.data.copy()
    order = [3, 1, 0, 2]
    np.testing.assert_array_equal(l2_normalize(X[order]).toarray(), l2_normalize(X).toarray()[order])
    np.testing.assert_array_equal(l2_normalize(RAGGED[order]), l2_normalize(RAGGED)[order])
    assert np.array_equal(X.data, data)
    dense = RAGGED.copy(); l2_normalize(dense)
    assert np.array_equal(dense, RAGGED)


def test_l2_normalize_duplicates_summed_first():
    X = sp.coo_matrix((np.array([3.0, 0.0, 4.0]), (np.array([0, 0, 0]), np.array([0, 1, 0]))), shape=(1, 2))   # 3 + 4 at (0, 0)
    np.testing.assert_allclose(l2_normalize(X).toarray(), [[1.0, 0.0]])


def test_l2_normalize_large_values_do_not_overflow():
    X = np.array([[3e30, 4e30]], dtype=np.float32)
    np.testing.assert_allclose(l2_normalize(X), [[0.6, 0.8]], rtol=1e-6)
    np.testing.assert_allclose(l2_normalize(sp.csr_matrix(X)).toarray(), [[0.6, 0.8]], rtol=1e-6)


@pytest.mark.parametrize('X', [np.zeros((0, 3)), np.zeros((2, 0)), sp.csr_matrix((0, 3)), sp.csr_matrix((3, 4))],
                         ids=['no-rows', 'no-columns', 'sparse-no-rows', 'sparse-all-zero'])
def test_l2_normalize_empty_and_all_zero(X):
    out = l2_normalize(X)
    assert out.shape == X.shape and not np.isnan(out.toarray() if sp.issparse(out) else out).any()


def test_l2_normalize_tfidf_rows():
    T = tfidf_vectorizer(norm=None).fit_transform(ITEMS.text)
    assert not np.allclose(sp.linalg.norm(T, axis=1), 1)
    np.testing.assert_allclose(sp.linalg.norm(l2_normalize(T), axis=1), np.ones(10), rtol=1e-12)


@pytest.mark.parametrize('X, match', [([1.0, 2.0], r'`X` must be 2-D \(one row per item\), got shape \(2,\)'),
                                      (np.zeros((2, 2, 2)), r'got shape \(2, 2, 2\)'),
                                      ([[1.0, np.nan], [0.0, 1.0]], 'row 0 holds NaN or infinity'),
                                      ([[1.0, 1.0], [np.inf, 1.0]], 'row 1 holds NaN or infinity'),
                                      (sp.csr_matrix([[1.0, 0.0], [0.0, np.nan]]), 'row 1 holds NaN or infinity')])
def test_l2_normalize_bad_input(X, match):
    with pytest.raises(ValueError, match=match): l2_normalize(X)


def test_l2_normalize_not_numbers():
    with pytest.raises(TypeError, match='`X` must hold numbers'): l2_normalize([['a', 'b']])
    with pytest.raises(TypeError, match='in rows of equal length'): l2_normalize([[1.0, 2.0], [3.0]])

# ---------------------------------------------------------------------------------------------------------------
# LSA

N_TERMS = len(tfidf_vectorizer().fit(TEXTS).vocabulary_)        # 80 on the sample catalog


def test_lsa_is_a_tfidf_svd_normalizer_pipeline():
    lsa = lsa_vectorizer(n_components=7, seed=3, min_df=1)
    assert type(lsa) is Pipeline and list(lsa.named_steps) == ['tfidf', 'lsa', 'normalize']
    tfidf, svd, norm = lsa.named_steps.values()
    assert type(tfidf) is TfidfVectorizer and isinstance(tfidf.tokenizer, JiebaTokenizer) and tfidf.min_df == 1
    assert isinstance(svd, TruncatedSVD) and (svd.n_components, svd.random_state) == (7, 3)
    assert type(norm) is Normalizer


def test_lsa_float32_unit_rows():
    lsa = lsa_vectorizer(n_components=5)
    X = lsa.fit_transform(TEXTS)
    assert type(X) is np.ndarray and X.dtype == np.float32 and X.shape == (10, 5)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), np.ones(10), rtol=1e-5)
    Q = lsa.transform(QUERIES)
    assert Q.dtype == np.float32 and not np.isnan(Q).any()
    norms = np.linalg.norm(Q, axis=1)
    assert ((np.abs(norms - 1) < 1e-5) | (norms == 0)).all()
    assert (lsa.transform(['完全没见过的词']) == 0).all()      # no known term: a zero row, not NaN


def test_lsa_rows_in_input_order():
    lsa = lsa_vectorizer(n_components=5).fit(TEXTS)
    order = [9, 2, 5, 0, 7]
    np.testing.assert_allclose(lsa.transform([TEXTS[i] for i in order]), lsa.transform(TEXTS)[order], atol=1e-6)


def test_lsa_relation_on_sample_catalog():
    X = lsa_vectorizer(n_components=5).fit_transform(TEXTS)
    cos = X @ X.T
    assert cos[3, 0] > cos[3, 8] + 0.1              # the tablet is nearer the laptop than the juice


def test_lsa_deterministic_for_a_seed():
    a = lsa_vectorizer(n_components=5, seed=0).fit_transform(TEXTS)
    assert np.array_equal(a, lsa_vectorizer(n_components=5, seed=0).fit_transform(TEXTS))


def test_lsa_feature_names_are_components():
    lsa = lsa_vectorizer(n_components=4).fit(TEXTS)
    assert list(lsa.get_feature_names_out()) == ['lsa0', 'lsa1', 'lsa2', 'lsa3']
    assert list(lsa.named_steps['lsa'].get_feature_names_out()) == ['lsa0', 'lsa1', 'lsa2', 'lsa3']


@pytest.mark.parametrize('n', [N_TERMS, N_TERMS + 1, 300])
def test_lsa_n_components_too_large(n):
    docs = TEXTS * 40                          # 400 documents: the vocabulary is the limit
    with pytest.raises(ValueError) as e: lsa_vectorizer(n_components=n).fit(docs)
    assert str(e.value) == (f'n_components={n} is too large for a vocabulary of {N_TERMS} terms; '
                            f'the largest valid value is {N_TERMS - 1}.')


@pytest.mark.parametrize('n', [N_TERMS, 100])
def test_lsa_n_components_too_large_for_both(n):
    with pytest.raises(ValueError) as e: lsa_vectorizer(n_components=n).fit(TEXTS)
    assert str(e.value) == (f'n_components={n} is too large for a vocabulary of {N_TERMS} terms and 10 documents; '
                            'the largest valid value is 10.')


def test_lsa_largest_valid_value_works():
    docs = TEXTS * 10                          # 100 documents, so that the vocabulary is the limit
    assert lsa_vectorizer(n_components=N_TERMS - 1).fit_transform(docs).shape == (100, N_TERMS - 1)
    assert lsa_vectorizer(n_components=10).fit_transform(TEXTS).shape == (10, 10)     # one per document at most


@pytest.mark.parametrize('n', [11, 50, N_TERMS - 1])
def test_lsa_more_components_than_documents(n):
    "scikit-learn would return only 10 columns for 10 documents: refused, with the largest valid value."
    with pytest.raises(ValueError) as e: lsa_vectorizer(n_components=n).fit(TEXTS)
    assert str(e.value) == (f'n_components={n} is too large for 10 documents (scikit-learn would silently return only '
                            '10 columns); the largest valid value is 10.')


def test_lsa_n_components_checked_on_fit_transform_and_after_set_params():
    lsa = lsa_vectorizer(n_components=5).fit(TEXTS)
    with pytest.raises(ValueError, match=f'for a vocabulary of {N_TERMS} terms and 10 documents; the largest valid value is 10'):
        lsa.set_params(lsa__n_components=100).fit_transform(TEXTS)
    with pytest.raises(ValueError, match='for a vocabulary of 3 terms; the largest valid value is 2'):
        lsa_vectorizer(n_components=4).fit(['耳机 蓝牙', '手机', '手机 耳机', '蓝牙'])


def test_lsa_vocabulary_of_one_term():
    with pytest.raises(ValueError, match='n_components=1 is too large for a vocabulary of 1 term; LSA needs at least 2 terms'):
        lsa_vectorizer(n_components=1).fit(['耳机', '耳机'])


@pytest.mark.parametrize('n', [0, -1, 2.5])
def test_lsa_bad_n_components_is_sklearn_error(n):
    with pytest.raises(ValueError, match="The 'n_components' parameter of TermSVD must be"):
        lsa_vectorizer(n_components=n).fit(TEXTS)


def test_term_svd_alone():
    T = tfidf_vectorizer().fit_transform(TEXTS)
    svd = TermSVD(n_components=3, random_state=0)
    Z = svd.fit_transform(T)
    assert Z.dtype == np.float32 and svd.transform(T).dtype == np.float32
    np.testing.assert_allclose(Z, TruncatedSVD(n_components=3, random_state=0).fit_transform(T), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=f'for a vocabulary of {N_TERMS} terms and 10 documents; the largest valid value is 10'):
        TermSVD(n_components=N_TERMS).fit(T)


def test_lsa_set_params_by_step_name():
    lsa = lsa_vectorizer()
    params = lsa.get_params()
    assert params['lsa__n_components'] == 100 and params['lsa__random_state'] == 0 and params['tfidf__sublinear_tf'] is True
    lsa.set_params(lsa__n_components=3, tfidf__ngram_range=(1, 2))
    assert lsa.fit_transform(TEXTS).shape == (10, 3)
    assert any(' ' in t for t in lsa.named_steps['tfidf'].get_feature_names_out())


def test_lsa_clone():
    lsa = lsa_vectorizer(n_components=5).fit(TEXTS)
    twin = clone(lsa)
    assert type(twin) is Pipeline and type(twin.named_steps['lsa']) is TermSVD
    assert not hasattr(twin.named_steps['lsa'], 'components_') and not hasattr(twin.named_steps['tfidf'], 'vocabulary_')
    assert twin.named_steps['tfidf'].tokenizer is not lsa.named_steps['tfidf'].tokenizer
    np.testing.assert_array_equal(twin.fit(TEXTS).transform(TEXTS), lsa.transform(TEXTS))
    np.testing.assert_allclose(clone(lsa).fit_transform(TEXTS), lsa.transform(TEXTS), atol=1e-6)


def test_lsa_pickle():
    lsa = lsa_vectorizer(n_components=5).fit(TEXTS)
    restored = pickle.loads(pickle.dumps(lsa))
    for docs in (TEXTS, QUERIES): np.testing.assert_array_equal(restored.transform(docs), lsa.transform(docs))
    with pytest.raises(ValueError, match='too large for a vocabulary'):               # the check survives pickling
        pickle.loads(pickle.dumps(lsa_vectorizer(n_components=500))).fit(TEXTS)


def test_lsa_unfitted_transform():
    with pytest.raises(NotFittedError): lsa_vectorizer(n_components=5).transform(TEXTS)


def test_lsa_on_bundled_catalog():
    cat = load_catalog()
    lsa = lsa_vectorizer(n_components=50)
    X = lsa.fit_transform(cat.title + ' ' + cat.description)
    assert X.shape == (len(cat), 50) and X.dtype == np.float32
    sims = X @ X.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argsort(-sims, axis=1, kind='stable')[:, :5]
    sub = cat.subcategory.to_numpy()
    assert (sub[nearest] == sub[:, None]).mean() > 0.3        # by chance it would be ≈4%

# ---------------------------------------------------------------------------------------------------------------
# component_terms

def test_component_terms_shape_and_columns():
    lsa = lsa_vectorizer(n_components=4).fit(TEXTS)
    ct = component_terms(lsa, k=3)
    assert list(ct.columns) == ['component', 'term', 'weight', 'rank'] and ct.shape == (12, 4)
    assert ct.component.tolist() == [f'lsa{i}' for i in range(4) for _ in range(3)]
    assert ct['rank'].tolist() == [1, 2, 3] * 4
    assert ct.groupby('component').weight.apply(lambda w: w.is_monotonic_decreasing).all()
    assert component_terms(lsa).shape == (20, 4)                                          # k=5 by default


def test_component_terms_weights_are_the_components():
    lsa = lsa_vectorizer(n_components=4).fit(TEXTS)
    svd, vocab = lsa.named_steps['lsa'], lsa.named_steps['tfidf'].vocabulary_
    ct = component_terms(lsa, k=5)
    for r in ct.itertuples():
        assert svd.components_[int(r.component[3:]), vocab[r.term]] == pytest.approx(r.weight)
    for i, row in enumerate(svd.components_):      # rank 1 is the component's largest weight
        assert ct[ct.component == f'lsa{i}'].weight.iloc[0] == pytest.approx(row.max())


def test_component_terms_k_larger_than_vocabulary():
    lsa = lsa_vectorizer(n_components=2).fit(TEXTS)
    assert len(component_terms(lsa, k=1000)) <= 2 * N_TERMS


@pytest.mark.parametrize('obj', [tfidf_vectorizer(), Pipeline([('normalize', Normalizer())]), 'lsa'], ids=['tfidf', 'pipeline', 'str'])
def test_component_terms_rejects_other_objects(obj):
    with pytest.raises(TypeError, match=r'`lsa` must be a pipeline from `lsa_vectorizer\(\)`'): component_terms(obj)


def test_component_terms_unfitted_and_bad_k():
    with pytest.raises(NotFittedError): component_terms(lsa_vectorizer(n_components=3))
    with pytest.raises(ValueError, match='`k` must be a positive int, got 0'):
        component_terms(lsa_vectorizer(n_components=3).fit(TEXTS), k=0)
