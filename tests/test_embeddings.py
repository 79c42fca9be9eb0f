"`llmrec.embeddings.Word2VecEmbedder`: the estimator contract, determinism across processes, pickling, bad input."
import os, pickle, subprocess, sys, textwrap, warnings
from pathlib import Path
import numpy as np, pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from llmrec.clean import clean_text
from llmrec.core import EmptyVocabularyError, sample_items
from llmrec.data import load_catalog
from llmrec.embeddings import Word2VecEmbedder, stable_hash
from llmrec.tokens import JiebaTokenizer

ROOT = Path(__file__).resolve().parents[1]
ITEMS = sample_items()
TEXTS = list(ITEMS.text)
SMALL = dict(vector_size=16, epochs=5, bucket=4096)     # fast settings for the ten-item catalog
MODELS = ['word2vec', 'fasttext']


def char_tokens(text):
    "A module-level (so picklable) tokenizer without `tokenize_corpus`: one token per non-space character."
    return [c for c in text if not c.isspace()]


@pytest.fixture(scope='module', params=MODELS)
def fitted(request):
    return Word2VecEmbedder(model=request.param, **SMALL).fit(TEXTS)


@pytest.fixture(scope='module')
def catalog_embedder():
    cat = load_catalog()
    texts = list(cat.title + ' ' + cat.description)
    return cat, Word2VecEmbedder().fit(texts), texts


def no_warnings(f):
    "Call `f`, failing if it warns; return its result."
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        return f()

# ---------------------------------------------------------------------------------------------------------------
# The estimator contract

def test_init_only_stores_parameters():
    tok = JiebaTokenizer(mode='search')
    emb = Word2VecEmbedder(model='nonsense', vector_size=-3, tokenizer=tok)      # no validation in __init__
    assert emb.model == 'nonsense' and emb.vector_size == -3 and emb.tokenizer is tok
    assert not [k for k in vars(emb) if k.endswith('_')]


def test_gensim_parameter_names_and_defaults():
    p = Word2VecEmbedder().get_params()
    assert {k: p[k] for k in ('model', 'vector_size', 'window', 'min_count', 'epochs', 'sg', 'negative', 'seed',
                              'workers', 'tokenizer', 'sif_a', 'remove_pc')} == dict(
        model='word2vec', vector_size=100, window=5, min_count=1, epochs=20, sg=1, negative=5, seed=0, workers=1,
        tokenizer=None, sif_a=1e-3, remove_pc=True)


def test_fit_returns_self_and_sets_learned_state():
    emb = Word2VecEmbedder(**SMALL)
    assert emb.fit(TEXTS) is emb
    assert isinstance(emb.tokenizer_, JiebaTokenizer) and emb.tokenizer is None
    assert emb.vocab_['耳机'] == 3 and emb.vocab_['蓝牙'] == 3
    assert list(emb.vocab_) == emb.wv_.index_to_key
    assert emb.sif_weights_.shape == (len(emb.vocab_),) and emb.sif_weights_.dtype == np.float32
    assert emb.pc_.shape == (16,) and np.linalg.norm(emb.pc_) == pytest.approx(1, abs=1e-5)


def test_sif_weights_favour_rare_words():
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    w = dict(zip(emb.vocab_, emb.sif_weights_))
    assert w['耳机'] < w['长篇小说']                     # 3 occurrences vs 1
    a, n = 1e-3, emb.n_tokens_
    assert w['耳机'] == pytest.approx(a / (a + 3 / n), rel=1e-6)


def test_clone_unfitted_and_fitted(fitted):
    twin = clone(fitted)
    assert type(twin) is Word2VecEmbedder and twin.get_params().keys() == fitted.get_params().keys()
    assert twin.get_params()['model'] == fitted.model
    assert not hasattr(twin, 'vocab_') and not hasattr(twin, 'wv_')
    assert np.array_equal(twin.fit_transform(TEXTS), fitted.transform(TEXTS))


def test_clone_copies_the_tokenizer():
    emb = Word2VecEmbedder(tokenizer=JiebaTokenizer(user_words=['降噪耳机']), **SMALL)
    twin = clone(emb)
    assert twin.tokenizer is not emb.tokenizer and twin.tokenizer.user_words == ['降噪耳机']


def test_set_params_then_refit():
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    emb.set_params(vector_size=8)
    assert emb.fit(TEXTS).transform(TEXTS).shape == (10, 8)


def test_in_a_sklearn_pipeline():
    pipe = Pipeline([('emb', Word2VecEmbedder(**SMALL))])
    X = pipe.fit_transform(TEXTS)
    assert X.shape == (10, 16)
    assert pipe.set_params(emb__vector_size=4).fit_transform(TEXTS).shape == (10, 4)


def test_get_feature_names_out(fitted):
    names = fitted.get_feature_names_out()
    assert list(names) == [f'dim{i}' for i in range(16)]
    with pytest.raises(NotFittedError): Word2VecEmbedder().get_feature_names_out()

# ---------------------------------------------------------------------------------------------------------------
# transform

def test_float32_unit_rows(fitted):
    X = fitted.transform(TEXTS)
    assert X.dtype == np.float32 and X.shape == (10, 16)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), np.ones(10), rtol=1e-5)


def test_fit_transform_equals_fit_then_transform(fitted):
    emb = clone(fitted)
    assert np.array_equal(emb.fit_transform(TEXTS), clone(fitted).fit(TEXTS).transform(TEXTS))


@pytest.mark.parametrize('order', [list(range(9, -1, -1)), [3, 0, 8, 1, 9, 2, 7, 4, 6, 5], [4, 4, 0]],
                         ids=['reversed', 'shuffled', 'repeated'])
def test_rows_in_input_order(fitted, order):
    X = fitted.transform(TEXTS)
    assert np.array_equal(fitted.transform([TEXTS[i] for i in order]), X[order])


def test_series_and_tuple_corpora(fitted):
    X = fitted.transform(TEXTS)
    assert np.array_equal(fitted.transform(ITEMS.text), X)
    assert np.array_equal(fitted.transform(pd.Series(TEXTS, index=range(100, 110))), X)
    assert np.array_equal(fitted.transform(tuple(TEXTS)), X)


def test_empty_query_corpus(fitted):
    X = fitted.transform([])
    assert X.shape == (0, 16) and X.dtype == np.float32


def test_texts_are_cleaned_first():
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    assert np.array_equal(emb.transform(['藍牙耳機']), emb.transform(['蓝牙耳机']))     # traditional → simplified
    assert np.array_equal(emb.transform(['<p>蓝牙　耳机</p>']), emb.transform(['蓝牙 耳机']))


@pytest.mark.parametrize('model', MODELS)
def test_pretokenised_equals_raw(model):
    raw = Word2VecEmbedder(model=model, **SMALL).fit(TEXTS)
    tokens = [raw.tokenizer_(clean_text(t)) for t in TEXTS]
    assert np.array_equal(raw.transform(tokens), raw.transform(TEXTS))
    pre = Word2VecEmbedder(model=model, **SMALL).fit(tokens)             # trained on the same tokens
    assert pre.vocab_ == raw.vocab_
    assert np.array_equal(pre.transform(tokens), raw.transform(TEXTS))
    assert np.array_equal(pre.transform([tuple(t) for t in tokens]), raw.transform(TEXTS))


def test_zero_vector_and_one_warning_for_unknown_only_texts():
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    queries = ['完全没见过的词', '蓝牙耳机', '', '的了吗', '长篇小说']
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        X = emb.transform(queries)
    assert [str(w.message) for w in caught] == [
        '3 of 5 texts have no known tokens (the first at position 0); their vectors are zero.']
    assert caught[0].filename == __file__                 # stacklevel points at the caller
    assert not np.isnan(X).any()
    assert (X[[0, 2, 3]] == 0).all()
    np.testing.assert_allclose(np.linalg.norm(X[[1, 4]], axis=1), 1, rtol=1e-5)


def test_no_warning_when_every_text_has_a_known_token(fitted):
    no_warnings(lambda: fitted.transform(TEXTS + ['耳机', '看书']))


def test_warning_on_fit_transform_with_empty_training_text():
    with pytest.warns(UserWarning, match=r'1 of 3 texts have no known tokens \(the first at position 1\)'):
        X = Word2VecEmbedder(**SMALL).fit_transform(['蓝牙耳机', '的了吗', '智能手机'])
    assert (X[1] == 0).all() and not np.isnan(X).any()


def test_min_count_drops_rare_words_and_their_vectors():
    emb = Word2VecEmbedder(min_count=2, **SMALL).fit(TEXTS)
    assert emb.vocab_ and min(emb.vocab_.values()) >= 2 and '长篇小说' not in emb.vocab_
    with pytest.warns(UserWarning, match='1 of 1 texts have no known tokens'): X = emb.transform(['长篇小说'])
    assert (X == 0).all()

# ---------------------------------------------------------------------------------------------------------------
# Determinism

def test_same_seed_same_vectors_in_process():
    a = Word2VecEmbedder(**SMALL).fit_transform(TEXTS)
    assert np.array_equal(a, Word2VecEmbedder(**SMALL).fit_transform(TEXTS))
    assert not np.array_equal(a, Word2VecEmbedder(seed=1, **SMALL).fit_transform(TEXTS))   # the seed is used


SCRIPT = textwrap.dedent('''
    import sys, numpy as np
    from llmrec.core import sample_items
    from llmrec.embeddings import Word2VecEmbedder
    texts = list(sample_items().text)
    out = [Word2VecEmbedder(model=m, vector_size=16, epochs=5, bucket=4096).fit(texts).transform(texts + ['耳麦', '看书'])
           for m in ('word2vec', 'fasttext')]
    np.save(sys.argv[1], np.stack(out))
    print(hash('耳机'))
''')


def test_identical_vectors_across_processes_with_different_hash_seeds(tmp_path):
    "PYTHONHASHSEED salts `hash` differently per process; the vectors must not depend on it."
    results, hashes = [], []
    for seed in ('0', '1', '4242'):
        out = tmp_path/f'v{seed}.npy'
        env = {**os.environ, 'PYTHONHASHSEED': seed}
        res = subprocess.run([sys.executable, '-c', SCRIPT, str(out)], env=env, cwd=ROOT, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr[-2000:]
        hashes.append(res.stdout.strip().splitlines()[-1])
        results.append(np.load(out))
    assert len(set(hashes)) == 3, 'the subprocesses did not get different hash seeds'
    assert results[0].shape == (2, 12, 16) and results[0].dtype == np.float32
    for other in results[1:]: assert np.array_equal(results[0], other)


def test_stable_hash_is_crc32():
    assert stable_hash('abc') == 891568578 and stable_hash('耳机') == stable_hash('耳机')
    assert stable_hash('耳机0') != stable_hash('耳机1')
    with pytest.raises(TypeError, match='must be a str'): stable_hash(b'abc')

# ---------------------------------------------------------------------------------------------------------------
# Pickle

QUERIES = ['我想买一副耳机', '藍牙耳機', '完全没见过的词', '', '耳麦']


@pytest.mark.parametrize('model', MODELS)
def test_pickle_round_trip(model):
    emb = Word2VecEmbedder(model=model, **SMALL).fit(TEXTS)
    restored = pickle.loads(pickle.dumps(emb))
    assert restored.vocab_ == emb.vocab_
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for docs in (TEXTS, QUERIES): assert np.array_equal(restored.transform(docs), emb.transform(docs))
    assert restored.most_similar('耳机', k=5).equals(emb.most_similar('耳机', k=5))


def test_pickle_with_user_words_and_custom_tokenizer():
    emb = Word2VecEmbedder(tokenizer=JiebaTokenizer(user_words=['降噪耳机']), **SMALL).fit(TEXTS)
    assert '降噪耳机' in emb.vocab_
    restored = pickle.loads(pickle.dumps(emb))
    assert np.array_equal(restored.transform(['降噪耳机']), emb.transform(['降噪耳机']))
    chars = Word2VecEmbedder(tokenizer=char_tokens, **SMALL).fit(TEXTS)
    assert np.array_equal(pickle.loads(pickle.dumps(chars)).transform(TEXTS), chars.transform(TEXTS))


def test_pickle_unfitted():
    emb = pickle.loads(pickle.dumps(Word2VecEmbedder(model='fasttext', vector_size=8)))
    assert emb.get_params() == Word2VecEmbedder(model='fasttext', vector_size=8).get_params()

# ---------------------------------------------------------------------------------------------------------------
# Tokenizers

def test_any_callable_tokenizer():
    emb = Word2VecEmbedder(tokenizer=char_tokens, **SMALL).fit(TEXTS)
    assert '耳' in emb.vocab_ and '耳机' not in emb.vocab_
    assert emb.tokenizer_ is emb.tokenizer


def test_tokenizer_must_return_token_lists():
    with pytest.raises(TypeError, match='`tokenizer` must return a list of str, got str'):
        Word2VecEmbedder(tokenizer=str.strip, **SMALL).fit(TEXTS)


def test_preprocessor_none_keeps_text_as_is():
    emb = Word2VecEmbedder(tokenizer=char_tokens, preprocessor=None, **SMALL).fit(['ＡＢ', 'AB'])
    assert set(emb.vocab_) == {'Ａ', 'Ｂ', 'A', 'B'}

# ---------------------------------------------------------------------------------------------------------------
# SIF options

def test_without_pc_removal_and_sif_weights():
    plain = Word2VecEmbedder(remove_pc=False, sif_a=None, **SMALL).fit(TEXTS)
    assert plain.pc_ is None and (plain.sif_weights_ == 1).all()
    X = plain.transform(['耳机 蓝牙'])
    v = plain.wv_['耳机'].astype(np.float64) + plain.wv_['蓝牙']          # the plain mean, scaled to unit length
    np.testing.assert_allclose(X[0], v / np.linalg.norm(v), rtol=1e-5, atol=1e-6)


def test_sif_weighted_mean():
    "A text's vector is the SIF-weighted mean of its words' vectors: a rare word pulls harder than a frequent one."
    emb = Word2VecEmbedder(remove_pc=False, **SMALL).fit(TEXTS)
    w = dict(zip(emb.vocab_, emb.sif_weights_.astype(np.float64)))
    X = emb.transform(['耳机 长篇小说 耳机'])
    v = (2 * w['耳机'] * emb.wv_['耳机'].astype(np.float64) + w['长篇小说'] * emb.wv_['长篇小说']) / 3
    np.testing.assert_allclose(X[0], v / np.linalg.norm(v), rtol=1e-5, atol=1e-6)
    u = emb.wv_['耳机'].astype(np.float64) * 2 + emb.wv_['长篇小说']          # unweighted: a different direction
    assert not np.allclose(X[0], u / np.linalg.norm(u), atol=1e-3)


def test_gensim_gets_the_stable_hash_and_parameters(monkeypatch):
    "gensim's default `hashfxn` is the salted built-in `hash`; the embedder passes `stable_hash` and its own parameters."
    import llmrec.embeddings as m
    seen = {}
    def spy(cls):
        def make(sentences, **kw):
            seen.update(kw, cls=cls)
            return cls(sentences, **kw)
        return make
    monkeypatch.setitem(m._MODELS, 'word2vec', spy(m.Word2Vec))
    Word2VecEmbedder(vector_size=8, window=2, epochs=3, sg=0, negative=3, seed=7).fit(TEXTS)
    assert seen['hashfxn'] is stable_hash and seen['cls'] is m.Word2Vec
    assert {k: seen[k] for k in ('vector_size', 'window', 'epochs', 'sg', 'negative', 'seed', 'workers', 'min_count')} == dict(
        vector_size=8, window=2, epochs=3, sg=0, negative=3, seed=7, workers=1, min_count=1)
    assert 'bucket' not in seen


def test_pc_removal_makes_vectors_orthogonal_to_it():
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    np.testing.assert_allclose(emb.transform(TEXTS) @ emb.pc_, 0, atol=1e-5)
    assert not np.allclose(Word2VecEmbedder(remove_pc=False, **SMALL).fit(TEXTS).transform(TEXTS) @ emb.pc_, 0, atol=1e-3)


def test_single_text_corpus_keeps_its_vector():
    emb = Word2VecEmbedder(**SMALL).fit(['蓝牙降噪耳机'])
    assert emb.pc_ is None
    np.testing.assert_allclose(np.linalg.norm(emb.transform(['蓝牙降噪耳机'])), 1, rtol=1e-5)

# ---------------------------------------------------------------------------------------------------------------
# fastText: subword vectors

def test_fasttext_vectors_for_unseen_words():
    ft = Word2VecEmbedder(model='fasttext', **SMALL).fit(TEXTS)
    assert '耳麦' not in ft.vocab_
    v = no_warnings(lambda: ft.word_vectors(['耳麦', '耳机']))
    assert np.linalg.norm(v[0]) > 0 and not np.array_equal(v[0], v[1])
    X = no_warnings(lambda: ft.transform([['耳麦'], ['耳麦', '没见过的词']]))
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), [1, 1], rtol=1e-5)
    assert np.array_equal(X[0], no_warnings(lambda: ft.transform(['耳麦']))[0])       # raw text, same token
    assert ft.most_similar('耳麦', k=3).shape == (3, 3)


def test_word2vec_has_no_vectors_for_unseen_words():
    w2v = Word2VecEmbedder(**SMALL).fit(TEXTS)
    with pytest.warns(UserWarning, match=r"1 of 2 tokens are not in the vocabulary \(e.g. '耳麦'\)"):
        v = w2v.word_vectors(['耳机', '耳麦'])
    assert (v[1] == 0).all() and np.array_equal(v[0], w2v.wv_['耳机'])
    with pytest.warns(UserWarning, match='no known tokens'): assert (w2v.transform([['耳麦']]) == 0).all()


def test_fasttext_ngram_parameters_pass_through():
    ft = Word2VecEmbedder(model='fasttext', min_n=2, max_n=2, **SMALL).fit(TEXTS)
    assert (ft.wv_.min_n, ft.wv_.max_n, ft.wv_.bucket) == (2, 2, 4096)

# ---------------------------------------------------------------------------------------------------------------
# Word vectors and neighbours

def test_word_vectors_are_the_trained_vectors(fitted):
    v = fitted.word_vectors(['耳机', '蓝牙', '耳机'])
    assert v.dtype == np.float32 and v.shape == (3, 16)
    assert np.array_equal(v, fitted.wv_[['耳机', '蓝牙', '耳机']])
    with pytest.raises(TypeError, match=r"wrap it in a list: \['耳机'\]"): fitted.word_vectors('耳机')
    with pytest.raises(TypeError, match='one-shot iterator'): fitted.word_vectors(t for t in ['耳机'])


def test_most_similar_frame(fitted):
    near = fitted.most_similar('耳机', k=5)
    assert list(near.columns) == ['term', 'similarity', 'rank']
    assert near['rank'].tolist() == [1, 2, 3, 4, 5] and near.similarity.is_monotonic_decreasing
    assert '耳机' not in set(near.term) and set(near.term) <= set(fitted.vocab_)
    sims = fitted.wv_.get_normed_vectors() @ (fitted.wv_['耳机'] / np.linalg.norm(fitted.wv_['耳机']))
    best = sorted((s, w) for w, s in zip(fitted.wv_.index_to_key, sims) if w != '耳机')[-1]
    assert near.term[0] == best[1] and near.similarity[0] == pytest.approx(best[0], rel=1e-5)


def test_most_similar_k_larger_than_vocabulary(fitted):
    assert len(fitted.most_similar('耳机', k=10_000)) == len(fitted.vocab_) - 1


@pytest.mark.parametrize('k', [0, -1, 1.5, True, '3'])
def test_most_similar_bad_k(fitted, k):
    with pytest.raises(ValueError, match='`k` must be a positive int'): fitted.most_similar('耳机', k=k)


def test_most_similar_unknown_word2vec_token():
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    with pytest.raises(ValueError, match="Unknown token '耳麦': not among the 80 words of the vocabulary"):
        emb.most_similar('耳麦')

# ---------------------------------------------------------------------------------------------------------------
# Bad input

def test_generator_rejected():
    with pytest.raises(TypeError, match=r'`texts` is a one-shot iterator \(generator\)'):
        Word2VecEmbedder(**SMALL).fit(t for t in TEXTS)
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    with pytest.raises(TypeError, match='one-shot iterator'): emb.transform(t for t in TEXTS)
    with pytest.raises(TypeError, match='one-shot iterator'): emb.fit_transform(iter(TEXTS))


def test_restartable_corpus_object_accepted():
    class Corpus:
        def __iter__(self): return iter(TEXTS)
    assert np.array_equal(Word2VecEmbedder(**SMALL).fit_transform(Corpus()), Word2VecEmbedder(**SMALL).fit_transform(TEXTS))


def test_single_string_rejected():
    with pytest.raises(TypeError, match='got a single str; wrap it in a list'): Word2VecEmbedder(**SMALL).fit('蓝牙耳机')


def test_min_count_that_keeps_no_word():
    with pytest.raises(EmptyVocabularyError) as e: Word2VecEmbedder(min_count=5, **SMALL).fit(TEXTS[:2])
    assert str(e.value) == 'min_count=5 keeps 0 of the 20 distinct tokens; use min_count=1 for small catalogs.'
    assert isinstance(e.value, ValueError)


@pytest.mark.parametrize('texts', [[], ()], ids=['list', 'tuple'])
def test_empty_corpus(texts):
    with pytest.raises(ValueError, match='`texts` is empty: there is nothing to train on'): Word2VecEmbedder().fit(texts)


@pytest.mark.parametrize('texts', [['的了吗', '   '], [[], []], ['👍🏻', 'https://example.com']], ids=['stop-words', 'no-tokens', 'noise'])
def test_no_tokens_at_all(texts):
    with pytest.raises(EmptyVocabularyError, match=f'No tokens left after cleaning and stop-word removal \\({len(texts)} documents\\)'):
        Word2VecEmbedder().fit(texts)


@pytest.mark.parametrize('bad, pos, kind', [([TEXTS[0], TEXTS[1], None], 2, 'NoneType'), ([TEXTS[0], float('nan')], 1, 'float'),
                                            ([1, TEXTS[0]], 0, 'int'), ([TEXTS[0], b'bytes'], 1, 'bytes')])
def test_non_str_text_names_its_position(bad, pos, kind):
    with pytest.raises(TypeError, match=f'`texts` must be a str, got {kind} at position {pos}'): Word2VecEmbedder(**SMALL).fit(bad)
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    with pytest.raises(TypeError, match=f'got {kind} at position {pos}'): emb.transform(bad)


def test_mixed_texts_and_token_lists():
    with pytest.raises(TypeError, match='must hold only raw texts or only token lists; position 1 is a list and position 0 a str'):
        Word2VecEmbedder(**SMALL).fit([TEXTS[0], ['耳机']])


def test_token_list_with_non_str_token():
    with pytest.raises(TypeError, match='the one at position 1 has a int'): Word2VecEmbedder(**SMALL).fit([['耳机'], ['蓝牙', 3]])


def test_transform_before_fit():
    for call in (lambda e: e.transform(TEXTS), lambda e: e.word_vectors(['耳机']), lambda e: e.most_similar('耳机')):
        with pytest.raises(NotFittedError, match='is not fitted yet'): call(Word2VecEmbedder())


def test_bad_model_lists_choices():
    with pytest.raises(ValueError, match=r"`model` must be one of \['word2vec', 'fasttext'\], got 'glove'\."):
        Word2VecEmbedder(model='glove').fit(TEXTS)


@pytest.mark.parametrize('param, value, match', [
    ('vector_size', 0, '`vector_size` must be a positive int, got 0'),
    ('window', -1, '`window` must be a positive int, got -1'),
    ('epochs', 1.5, '`epochs` must be a positive int, got 1.5'),
    ('min_count', 0, '`min_count` must be a positive int, got 0'),
    ('negative', None, '`negative` must be a positive int, got None'),
    ('workers', True, '`workers` must be a positive int, got True'),
    ('bucket', 0, '`bucket` must be a positive int, got 0'),
    ('max_n', 0, '`max_n` must be a positive int'),
    ('sg', 2, r'`sg` must be 1 \(skip-gram\) or 0 \(CBOW\), got 2'),
    ('sg', 1.0, '`sg` must be 1'),
    ('seed', '0', "`seed` must be an int, got '0'"),
    ('sif_a', 0, '`sif_a` must be a positive number'),
    ('sif_a', -1e-3, '`sif_a` must be a positive number'),
    ('sif_a', float('inf'), '`sif_a` must be a positive number'),
])
def test_bad_parameters_fail_at_fit_with_their_name(param, value, match):
    emb = Word2VecEmbedder(**{param: value})
    with pytest.raises(ValueError, match=match): emb.fit(TEXTS)
    assert not hasattr(emb, 'vocab_')


def test_max_n_below_min_n():
    with pytest.raises(ValueError, match='`max_n` must be at least `min_n`=3, got 2'): Word2VecEmbedder(min_n=3, max_n=2).fit(TEXTS)


@pytest.mark.parametrize('param', ['tokenizer', 'preprocessor'])
def test_non_callable_tokenizer_or_preprocessor(param):
    with pytest.raises(TypeError, match=f'`{param}` must be a callable'): Word2VecEmbedder(**{param: 'jieba'}).fit(TEXTS)


def test_failed_refit_keeps_previous_model():
    emb = Word2VecEmbedder(**SMALL).fit(TEXTS)
    before = emb.transform(TEXTS)
    with pytest.raises(EmptyVocabularyError): emb.set_params(min_count=50).fit(TEXTS)
    assert np.array_equal(emb.transform(TEXTS), before)

# ---------------------------------------------------------------------------------------------------------------
# Relations on the bundled catalog (tolerances, not exact floats)

def test_catalog_headphones_nearest_items_are_mostly_headphones(catalog_embedder):
    cat, emb, texts = catalog_embedder
    X = emb.transform(texts)
    sims = X @ X.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argsort(-sims, axis=1, kind='stable')[:, :5]
    sub = cat.subcategory.to_numpy()
    hp = sub == '耳机'
    assert hp.sum() >= 10 and (sub[nearest[hp]] == '耳机').mean() > 0.6
    assert (sub[nearest] == sub[:, None]).mean() > 0.3       # across the catalog, by chance it would be ≈4%


def test_catalog_words_near_headphones(catalog_embedder):
    _, emb, _ = catalog_embedder
    assert {'降噪', '蓝牙'} & set(emb.most_similar('耳机', k=10).term)


def test_catalog_query_nearer_its_kind(catalog_embedder):
    cat, emb, texts = catalog_embedder
    X, q = emb.transform(texts), emb.transform(['蓝牙降噪耳机'])[0]
    by_sub = pd.Series(X @ q).groupby(cat.subcategory.to_numpy()).mean()
    assert by_sub['耳机'] > by_sub['果汁饮料'] + 0.05


def test_dataframe_rejected_with_hint():
    with pytest.raises(TypeError, match='is a DataFrame .* pass its text column, e.g. items.text'):
        Word2VecEmbedder(**SMALL).fit(ITEMS)


def test_methods_are_attached_to_the_class():
    import llmrec.embeddings as m
    for name in ('fit', 'transform', 'fit_transform', 'get_feature_names_out', 'word_vectors', 'most_similar'):
        assert getattr(Word2VecEmbedder, name).__qualname__ == f'Word2VecEmbedder.{name}'
        assert name not in m.__all__
    assert set(m.__all__) == {'stable_hash', 'Word2VecEmbedder'}
