"Tests of `llmrec.evaluate`: hand-computed metrics, ties, scikit-learn agreement, leakage checks, split invariants, duplicates, bad input, the command and a real MovieLens run."
import warnings
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import ndcg_score
from llmrec.core import sample_items
from llmrec.data import load_movielens
from llmrec.evaluate import (
    PROTOCOLS, ContentModel, LeakageError, PopularModel, RandomModel, bootstrap_ci, catalog_coverage, check_interactions,
    check_leakage, cli, evaluate, exposure, gini_index, hit_matrix, hit_rate_at_k, hits_from_lists, holm,
    id_time_correlation, intra_list_diversity, map_at_k, mrr_at_k, ndcg_at_k, novelty, paired_bootstrap, paired_test,
    precision_at_k, protocol_card, recall_at_k, run_evaluation, split_interactions, top_k_items, write_report)

LOG2_3 = np.log2(3)


def synthetic(n_users=60, n_items=40, per_user=8, seed=0):
    "Interactions with distinct (user, item) pairs and strictly increasing times within each user"
    rng = np.random.default_rng(seed)
    rows = [(u, int(i), int(t)) for u in range(n_users)
            for t, i in enumerate(rng.choice(n_items, size=rng.integers(1, per_user + 1), replace=False), start=u)]
    df = pd.DataFrame(rows, columns=['user_id', 'item_id', 'timestamp'])
    df['rating'] = rng.integers(1, 6, len(df)).astype(float)
    return df


class ConstantModel:
    "Scores every item 0: a model whose ranking is all ties"
    def fit(self, train, items): self.n_ = len(items); return self
    def score(self, user_ids): return np.zeros((len(user_ids), self.n_), np.float32)


class OracleModel:
    "Scores each user's test items 1, everything else 0: the best possible model"
    def __init__(self, test): self.test = test
    def fit(self, train, items):
        self.index_ = pd.Index(items.item_id); self.by_user_ = self.test.groupby('user_id').item_id.agg(list).to_dict(); return self
    def score(self, user_ids):
        S = np.zeros((len(user_ids), len(self.index_)), np.float32)
        for r, u in enumerate(user_ids): S[r, self.index_.get_indexer(self.by_user_.get(u, []))] = 1
        return S


# ---- metrics on hand-computed values ----------------------------------------------------------------------------
RANKED = [['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c'], ['x', 'y', 'z'], ['a', 'b', 'c', 'd']]
RELEVANT = [{'b', 'd'}, {'a'}, {'q'}, {'a', 'b', 'c', 'd', 'e'}]


def test_hand_computed_metrics():
    H, n = hits_from_lists(RANKED, RELEVANT)
    assert H.astype(int).tolist() == [[0, 1, 0, 1, 0], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 0]]
    assert n.tolist() == [2, 1, 1, 5]
    np.testing.assert_allclose(precision_at_k(H, 2), [1/2, 1/2, 0, 1])
    np.testing.assert_allclose(recall_at_k(H, n, 4), [1, 1, 0, 4/5])
    np.testing.assert_allclose(hit_rate_at_k(H, 1), [0, 1, 0, 1])
    np.testing.assert_allclose(mrr_at_k(H, 4), [1/2, 1, 0, 1])
    np.testing.assert_allclose(ndcg_at_k(H, n, 4), [(1/LOG2_3 + 1/np.log2(5)) / (1 + 1/LOG2_3), 1, 0, 1])
    # AP@4 of the first user: precision 1/2 at rank 2 and 2/4 at rank 4
    np.testing.assert_allclose(map_at_k(H, n, 4, 'min'), [(1/2 + 2/4) / 2, 1, 0, 4/4])
    np.testing.assert_allclose(map_at_k(H, n, 4, 'relevant'), [(1/2 + 2/4) / 2, 1, 0, 4/5])


def test_single_relevant_item_metrics_coincide():
    "With one relevant item, recall = hit rate and MAP (both definitions) = MRR"
    H, n = hits_from_lists([['a', 'b', 'c'], ['b', 'a', 'c'], ['c', 'b', 'a'], ['b', 'c', 'd']], [{'a'}] * 4)
    for k in (1, 2, 3):
        np.testing.assert_allclose(recall_at_k(H, n, k), hit_rate_at_k(H, k))
        np.testing.assert_allclose(map_at_k(H, n, k, 'min'), mrr_at_k(H, k))
        np.testing.assert_allclose(map_at_k(H, n, k, 'relevant'), mrr_at_k(H, k))
    np.testing.assert_allclose(ndcg_at_k(H, n, 3), [1, 1/LOG2_3, 1/2, 0])


@pytest.mark.parametrize('k', [1, 2, 5, 10, 30])
def test_ndcg_agrees_with_sklearn(k):
    rng = np.random.default_rng(k)
    y_true = (rng.random((80, 30)) < 0.2).astype(int)
    y_true[y_true.sum(axis=1) == 0, 3] = 1
    y_score = rng.random((80, 30))                       # continuous: no ties, where the definitions coincide
    H = hit_matrix(top_k_items(y_score, 30), y_true)
    assert ndcg_at_k(H, y_true.sum(axis=1), k).mean() == pytest.approx(ndcg_score(y_true, y_score, k=k), abs=1e-12)


def test_constant_scorer_scores_like_random_not_perfect():
    "All-tied scores, with each user's relevant items in the first catalog rows: a stable sort would find them all"
    df = synthetic(n_users=400, n_items=50, per_user=6, seed=3)
    train, test, _ = split_interactions(df, 'leave-last-out')
    items = pd.DataFrame({'item_id': np.r_[np.sort(test.item_id.unique()), np.setdiff1d(np.arange(50), test.item_id)]})
    models = {'constant': ConstantModel(), 'random': RandomModel(seed=5), 'oracle': OracleModel(test)}
    t = evaluate(models, (train, test), k=[10], items=items, n_boot=200).set_index(['model', 'metric', 'k']).value
    assert t['oracle', 'hit_rate', 10] == 1.0
    assert abs(t['constant', 'hit_rate', 10] - t['random', 'hit_rate', 10]) < 0.08, t
    assert t['constant', 'hit_rate', 10] < 0.4                       # chance level is about 10 / 46
    assert abs(t['constant', 'ndcg', 10] - t['random', 'ndcg', 10]) < 0.05


def test_top_k_tie_break_is_seeded_and_uniform():
    S = np.zeros((5000, 4))
    a, b = top_k_items(S, 2, seed=1), top_k_items(S, 2, seed=1)
    assert (a == b).all()
    first = np.bincount(a[:, 0], minlength=4) / len(a)
    np.testing.assert_allclose(first, 0.25, atol=0.03)
    # ties only among equal scores: the strictly best item always comes first
    S[:, 2] = 1
    assert (top_k_items(S, 2, seed=2)[:, 0] == 2).all()


# ---- beyond accuracy and intervals --------------------------------------------------------------------------------
def test_beyond_accuracy_functions():
    ids = sample_items().item_id.tolist()
    assert catalog_coverage([['laptop', 'phone'], ['laptop']], ids) == 0.2
    assert gini_index(exposure([['laptop']] * 4, ids)) == pytest.approx(0.9)
    vectors = np.eye(10)
    vectors[1] = vectors[0]                                                 # phone identical to laptop
    np.testing.assert_allclose(intra_list_diversity([['laptop', 'phone'], ['laptop', 'juice']], vectors, ids), [0, 1])
    np.testing.assert_allclose(novelty([[0], [1]], np.array([1, 0]), 1), [0.0, 1.0])


def test_bootstrap_ci_covers_the_mean_and_is_reproducible():
    v = np.random.default_rng(0).normal(0.5, 0.1, 400)
    m, lo, hi = bootstrap_ci(v, n_boot=500, seed=3)
    assert lo < m < hi and hi - lo == pytest.approx(2 * 1.96 * 0.1 / 20, rel=0.25)
    assert bootstrap_ci(v, n_boot=500, seed=3) == (m, lo, hi)


def test_paired_tests_and_holm():
    rng = np.random.default_rng(1)
    diff, lo, hi, p = paired_bootstrap(rng.random(300) + 0.1, rng.random(300), n_boot=500)
    assert lo > 0 and p < 0.01
    np.testing.assert_allclose(holm([0.01, 0.02, 0.5]), [0.03, 0.04, 0.5])
    df = synthetic(n_users=200, n_items=30, seed=2)
    train, test, _ = split_interactions(df, 'leave-last-out')
    ev = run_evaluation({'random': RandomModel(), 'popular': PopularModel(), 'oracle': OracleModel(test)}, (train, test),
                        k=[5], n_boot=200)
    pt = paired_test(ev, 'ndcg', 5, n_boot=300)
    best = pt[(pt.model_a == 'random') & (pt.model_b == 'oracle')].iloc[0]
    assert best['diff'] < 0 and best.significant
    wil = paired_test(ev, 'ndcg', 5, method='wilcoxon')
    assert (wil.p_holm >= wil.p_value).all()


# ---- leakage checks -----------------------------------------------------------------------------------------------
@pytest.fixture
def split():
    return split_interactions(synthetic(), 'leave-last-out')


def test_leakage_overlap_trips(split):
    train, test, _ = split
    with pytest.raises(LeakageError, match='test interaction\\(s\\) also appear in training'):
        check_leakage(pd.concat([train, test.head(2)]), test)
    with pytest.raises(LeakageError, match='also appear in training'):
        evaluate({'p': PopularModel()}, (pd.concat([train, test.head(1)]), test))


@pytest.mark.parametrize('protocol', ['leave-last-out', 'user-chrono'])
def test_leakage_time_order_trips(split, protocol):
    train, test, _ = split
    early = test.assign(timestamp=test.timestamp - 10_000)
    with pytest.raises(LeakageError, match="split are earlier than the same user's latest training interaction"):
        check_leakage(train, early, protocol)
    with pytest.raises(LeakageError, match='earlier'):
        evaluate({'p': PopularModel()}, (train, early), protocol=protocol)
    check_leakage(train, early, 'random')                   # no time promise, no error
    check_leakage(train, test.assign(timestamp=train.groupby('user_id').timestamp.max().reindex(test.user_id).fillna(0).to_numpy()),
                  protocol)                                # equal times are ties, not a reversal


def test_leakage_global_temporal_trips():
    df = synthetic()
    train, test, _ = split_interactions(df, 'temporal', test_size=0.3)
    check_leakage(train, test, 'temporal')
    # a test interaction of a user with no training history, dated before the cut-off
    bad = pd.concat([test, pd.DataFrame({'user_id': [10_000], 'item_id': [1], 'timestamp': [0], 'rating': [3.0]})])
    with pytest.raises(LeakageError, match="A 'temporal' split has test interactions from 0"):
        check_leakage(train, bad, 'temporal')


def test_leakage_id_order_trips():
    df = synthetic(n_users=50, n_items=200, seed=4)
    first = df.groupby('item_id').timestamp.min().sort_values(kind='stable')
    chrono = df.assign(item_id=df.item_id.map(dict(zip(first.index, range(len(first))))))   # ids in order of first use
    assert id_time_correlation(chrono) > 0.95 and abs(id_time_correlation(df)) < 0.5
    train, test, _ = split_interactions(chrono, 'random', test_size=0.2)
    with pytest.raises(LeakageError, match='Item ids encode time'):
        check_leakage(train, test, id_order='raise')
    with pytest.warns(UserWarning, match='Item ids encode time'):
        check_leakage(train, test)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert check_leakage(train, test, id_order='ignore')['id_time_spearman'] is None
        check_leakage(train, test, id_order='raise', id_order_threshold=1.0) if id_time_correlation(chrono) < 1 else None


# ---- splits ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('protocol', PROTOCOLS)
@pytest.mark.parametrize('seed', [0, 7])
def test_split_invariants(protocol, seed):
    df = synthetic(seed=seed)
    train, test, rec = split_interactions(df, protocol, test_size=0.25, seed=seed)
    key = lambda d: set(map(tuple, d[['user_id', 'item_id']].to_numpy()))
    assert not key(train) & key(test) and key(train) | key(test) == key(df)
    assert (rec['n_train'], rec['n_test'], rec['n_interactions']) == (len(train), len(test), len(df))
    assert rec['protocol'] == protocol and rec['seed'] == seed
    check_leakage(train, test, protocol, id_order='ignore')
    sizes = df.groupby('user_id').size()
    if protocol == 'leave-last-out':
        assert test.groupby('user_id').size().eq(1).all()
        assert set(test.user_id) == set(sizes[sizes >= 2].index)
        assert rec['n_users_train_only'] == int((sizes == 1).sum()) > 0
    if protocol == 'user-chrono':
        n_test = test.groupby('user_id').size()
        expected = np.maximum(1, np.floor(sizes[sizes >= 2] * 0.25)).astype(int)
        assert n_test.sort_index().tolist() == expected.sort_index().tolist()
    if protocol == 'temporal':
        assert test.timestamp.min() >= train.timestamp.max() and len(test) <= 0.25 * len(df)
    if protocol == 'random':
        assert len(test) == round(0.25 * len(df))
    if protocol == 'cold-item':
        assert set(test.item_id) == set(rec['cold_items']) and not set(train.item_id) & set(rec['cold_items'])
    again = split_interactions(df, protocol, test_size=0.25, seed=seed)
    pd.testing.assert_frame_equal(again[1], test)


def test_leave_last_out_breaks_time_ties_at_random():
    df = pd.DataFrame({'user_id': [1] * 4, 'item_id': [1, 2, 3, 4], 'timestamp': [0, 5, 5, 5]})
    held = {split_interactions(df, seed=s)[1].item_id.iloc[0] for s in range(30)}
    assert held == {2, 3, 4}


def test_cold_item_candidates_are_the_held_out_items():
    df = synthetic(n_users=80, n_items=40, seed=5)
    ev = run_evaluation({'p': PopularModel()}, df, 'cold-item', k=[5], test_size=0.25, n_boot=None)
    cold = set(ev.record['cold_items'])
    assert set(ev.lists('p', 5).item_id) <= cold
    assert ev.settings['n_candidates'] == len(cold) and protocol_card(ev)['candidates'].startswith('the held-out (cold) items')


# ---- duplicates and bad input ------------------------------------------------------------------------------------------
def test_duplicates_option():
    df = pd.DataFrame({'user_id': [1, 1, 1, 2], 'item_id': ['a', 'b', 'a', 'a'], 'timestamp': [5, 2, 1, 3], 'rating': [1., 2, 4, 5]})
    with pytest.raises(ValueError, match="Pass duplicates='first', 'last' or 'sum'"):
        check_interactions(df)
    get = lambda how: check_interactions(df, duplicates=how).set_index(['user_id', 'item_id']).loc[(1, 'a')].tolist()
    assert get('first') == [1, 4.0] and get('last') == [5, 1.0] and get('sum') == [5, 5.0]
    assert len(check_interactions(df, duplicates='first')) == 3
    with pytest.raises(ValueError, match='duplicates'):
        split_interactions(df)
    no_time = df.drop(columns=['timestamp', 'rating'])
    assert check_interactions(no_time, duplicates='sum').rating.tolist() == [2.0, 1.0, 1.0]


@pytest.mark.parametrize('call, message', [
    (lambda df: split_interactions(df, protocol='sliding'), '`protocol` must be one of'),
    (lambda df: split_interactions(df, test_size=1.5), '`test_size` must be a number strictly between 0 and 1, got 1.5'),
    (lambda df: split_interactions(df, user_col='uid'), "interactions is missing column(s) ['uid']"),
    (lambda df: split_interactions(df, time_col='when'), "no column 'when' (`time_col`)"),
    (lambda df: check_interactions(df.assign(timestamp='x')), 'interactions `timestamp` must be numeric'),
    (lambda df: check_interactions(df.assign(item_id=np.where(df.index == 0, None, df.item_id))), 'missing value(s) in `item_id`'),
    (lambda df: evaluate({'p': PopularModel()}, df, k=[5, -1]), '`k` must be a positive int, got -1'),
    (lambda df: evaluate({'p': PopularModel()}, df, n_boot=-3), '`n_boot` must be a positive int, got -3'),
    (lambda df: evaluate({'p': PopularModel()}, df, level=2), '`level` must be a number strictly between 0 and 1, got 2'),
    (lambda df: evaluate({'p': PopularModel()}, df, id_order='loud'), "`id_order` must be one of ['warn', 'raise', 'ignore']"),
    (lambda df: evaluate({'p': PopularModel()}, df, batch=0), '`batch` must be a positive int, got 0'),
    (lambda df: evaluate({'p': PopularModel()}, df, similarity='genre'), "items is missing column(s) ['genre']"),
    (lambda df: evaluate({'p': PopularModel()}, 'ratings.csv'), '`data` must be an interactions DataFrame or a (train, test) pair'),
    (lambda df: bootstrap_ci([1, 2], level=0), '`level` must be a number strictly between 0 and 1'),
    (lambda df: map_at_k(np.ones((1, 3), bool), [3], 2, denominator='all'), '`denominator` must be one of'),
    (lambda df: top_k_items(np.zeros((2, 3)), 2, exclude=np.zeros((1, 3), bool)), '`exclude` must have the shape of `scores`'),
])
def test_bad_input_names_the_parameter(call, message):
    with pytest.raises((ValueError, TypeError)) as e:
        call(synthetic())
    assert message in str(e.value)


def test_model_with_wrong_score_shape_is_named():
    class Wrong(PopularModel):
        def score(self, user_ids): return np.zeros((len(user_ids), 3))
    with pytest.raises(ValueError, match="Model 'w': score\\(\\) returned shape"):
        evaluate({'w': Wrong()}, synthetic(), n_boot=None)


def test_batches_do_not_change_results():
    df = synthetic(n_users=90, seed=6)
    items = pd.DataFrame({'item_id': np.arange(40), 'text': [f'词{i % 7} 类{i % 3}' for i in range(40)]})
    models = lambda: {'popular': PopularModel(), 'content': ContentModel(diversity=0)}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        a = evaluate(models(), df, items=items, k=[5], n_boot=100)
        b = evaluate(models(), df, items=items, k=[5], n_boot=100, batch=7)
    pd.testing.assert_frame_equal(a, b)


# ---- the command ---------------------------------------------------------------------------------------------------
@pytest.fixture
def tiny_movielens(tmp_path):
    "A MovieLens-shaped folder: movies.csv, ratings.csv, tags.csv"
    d = tmp_path/'ml-tiny'; d.mkdir()
    genres = ['Comedy', 'Drama', 'Action|Thriller', 'Comedy|Romance', 'Animation|Children']
    pd.DataFrame({'movieId': range(1, 31), 'title': [f'Movie {i} ({1990 + i})' for i in range(1, 31)],
                  'genres': [genres[i % 5] for i in range(30)]}).to_csv(d/'movies.csv', index=False)
    rng = np.random.default_rng(0)
    rows = [(u, int(m), float(rng.integers(1, 6)), 1_000_000 + 100 * u + t)
            for u in range(1, 21) for t, m in enumerate(rng.choice(np.arange(1, 31), 6, replace=False))]
    pd.DataFrame(rows, columns=['userId', 'movieId', 'rating', 'timestamp']).to_csv(d/'ratings.csv', index=False)
    pd.DataFrame({'userId': [1, 2], 'movieId': [1, 2], 'tag': ['funny', 'sad'], 'timestamp': [1, 2]}).to_csv(d/'tags.csv', index=False)
    return d


def test_cli_writes_report(tiny_movielens, tmp_path, capsys):
    out = tmp_path/'report'
    code = cli(['--dataset', 'movielens', str(tiny_movielens), '--models', 'random,popular,content:tfidf', '-k', '5,10',
                '--out', str(out), '--n-boot', '100'])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert 'k = 10' in captured.out and 'content:tfidf' in captured.out and 'ndcg' in captured.out
    assert {'report.md', 'results.csv', 'metric_at_k.png', 'popularity_bias.png', 'accuracy_diversity.png'} <= {p.name for p in out.iterdir()}
    text = (out/'report.md').read_text(encoding='utf-8')
    assert '## Protocol card' in text and 'leave-last-out' in text
    table = pd.read_csv(out/'results.csv')
    assert set(table.model) == {'random', 'popular', 'content:tfidf'} and set(table.k) == {5, 10}


@pytest.mark.parametrize('argv', [
    ['--models', 'popular'],                                                      # no --dataset
    ['--dataset', 'movielens', 'X', '--models', 'svd'],
    ['--dataset', 'movielens', 'X', '-k', '0'],
    ['--dataset', 'movielens', 'X', '-k', 'ten'],
    ['--dataset', 'movielens', 'X', '--protocol', 'loo'],
    ['--dataset', 'thucnews'],
    ['--dataset', 'movielens', 'X', '--models', ','],
    ['--dataset', 'movielens', 'X', '--no-such-option'],
])
def test_cli_usage_errors_exit_2(argv, capsys):
    assert cli(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith('llmrec evaluate: error:') and err.count('\n') == 1


def test_cli_data_errors_exit_3(tiny_movielens, tmp_path, capsys):
    assert cli(['--dataset', 'movielens', str(tmp_path/'missing'), '--out', str(tmp_path/'r')]) == 3
    (tiny_movielens/'ratings.csv').write_text('userId,movieId\n1,2\n', encoding='utf-8')
    assert cli(['--dataset', 'movielens', str(tiny_movielens), '--out', str(tmp_path/'r')]) == 3
    errs = capsys.readouterr().err.strip().split('\n')
    assert len(errs) == 2 and all(e.startswith('llmrec evaluate: error:') for e in errs)
    assert 'ratings.csv' in errs[1]


# ---- the real MovieLens run ----------------------------------------------------------------------------------------------
def test_movielens_leave_last_out(shared_data, tmp_path):
    items, ratings = load_movielens(shared_data/'ml-latest-small')
    train, test, rec = split_interactions(ratings, 'leave-last-out')
    assert rec['n_test'] == rec['n_test_users'] == 610 and rec['n_users_train_only'] == 0
    some = np.sort(test.user_id.unique())[::6]                                   # every 6th user keeps the content run short
    models = {'random': RandomModel(), 'popular': PopularModel(), 'content:tfidf': ContentModel(text_cols='text', diversity=0)}
    with pytest.warns(UserWarning, match='Item ids encode time'):                  # movieId follows the time movies were added
        ev = run_evaluation(models, (train[train.user_id.isin(some)], test[test.user_id.isin(some)]), k=[10, 20],
                            items=items, similarity='genres', n_boot=300)
    t = ev.table.set_index(['model', 'metric', 'k'])
    assert ev.settings['n_eval_users'] == len(some) and ev.settings['n_candidates'] == len(items) == 9742
    assert t.loc[('popular', 'ndcg', 20), 'value'] > t.loc[('random', 'ndcg', 20), 'ci_high']
    assert t.loc[('popular', 'coverage', 10), 'value'] < 0.05 < t.loc[('random', 'coverage', 10), 'value']
    assert t.loc[('popular', 'novelty', 10), 'value'] < t.loc[('content:tfidf', 'novelty', 10), 'value']
    assert t.loc[('content:tfidf', 'ild', 10), 'value'] < t.loc[('random', 'ild', 10), 'value']   # content lists share genres
    assert (t.ci_low.dropna() <= t.value[t.ci_low.notna()] + 1e-12).all()
    path = write_report(ev, tmp_path/'ml', k=10, n_boot=200)
    text = path.read_text(encoding='utf-8')
    assert text.split('\n')[2].startswith(f'{len(some)} users, leave-last-out split, full ranking of 9742') and 'Protocol card' in text


# ---- hardening: huge k, bad values, malformed arguments ----------------------------------------------------------------
def test_huge_k_is_capped_at_the_candidates_with_one_warning():
    df = synthetic(n_users=30, n_items=25)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        ev = run_evaluation({'p': PopularModel()}, df, k=[5, 100, 10**6], n_boot=None, similarity=np.eye(25))
    n = len(ev.items)
    assert ev.settings['k'] == [5, n] and ev.top['p'].shape == (len(ev.users), n)
    capped = [str(x.message) for x in w if 'capped' in str(x.message)]
    assert capped == [f'k=[100, 1000000] exceed(s) the {n} candidate items; capped at k={n}.']
    assert set(ev.table.k) == {5, n}
    with pytest.warns(UserWarning, match='capped at k='):
        cold = run_evaluation({'c': ConstantModel()}, df, 'cold-item', k=10**5, n_boot=None, test_size=0.2)
    assert cold.settings['k'] == [cold.settings['n_candidates']]   # capped at the cold candidates, not the catalog


def test_ild_uses_filled_slots_only_and_matches_pairwise():
    rng = np.random.default_rng(3)
    V = rng.normal(size=(30, 5)); V[4] = 0                      # a zero vector: similarity 0 to everything
    lists = np.full((50, 12), -1)
    for r in range(50):
        m = rng.integers(0, 13); lists[r, :m] = rng.choice(30, m, replace=False)
    lists[0, :3] = [4, 7, 4]                                    # a repeated item and the zero vector
    def cos(a, b):
        na, nb = np.linalg.norm(V[a], axis=1), np.linalg.norm(V[b], axis=1)
        return np.where((na > 0) & (nb > 0), np.einsum('ij,ij->i', V[a], V[b]) / np.maximum(na * nb, 1e-300), 0.0)
    want = intra_list_diversity(lists, cos)
    np.testing.assert_allclose(intra_list_diversity(lists, V), want, rtol=1e-10, atol=1e-12)
    import scipy.sparse as sp
    np.testing.assert_allclose(intra_list_diversity(lists, sp.csr_matrix(V)), want, rtol=1e-10, atol=1e-12)
    # a very wide, mostly empty list: the cost follows the filled slots, not the width
    wide = np.full((2, 200_000), -1); wide[0, :3] = [0, 1, 2]; wide[1, :1] = [5]
    calls = []
    def counting(a, b): calls.append(len(a)); return cos(a, b)
    out = intra_list_diversity(wide, counting)
    assert calls == [3] and np.isnan(out[1])
    np.testing.assert_allclose(out[0], intra_list_diversity(wide, V)[0])


def test_interactions_reject_infinite_values_and_shared_columns():
    df = synthetic()
    for col in ('timestamp', 'rating'):
        bad = df.assign(**{col: df[col].astype(float)}); bad.loc[[0, 3], col] = [np.inf, -np.inf]
        with pytest.raises(ValueError, match=f'interactions has 2 infinite value\\(s\\) in `{col}`'):
            check_interactions(bad)
    with pytest.raises(ValueError, match="`user_col` and `item_col` both name the column 'user_id'"):
        check_interactions(df, user_col='user_id', item_col='user_id')
    with pytest.raises(ValueError, match="`item_col` and `time_col` both name the column 'item_id'"):
        check_interactions(df, time_col='item_id')


@pytest.mark.parametrize('protocol', ['random', 'cold-item'])
def test_split_refuses_an_empty_training_set(protocol):
    with pytest.raises(ValueError, match=f"protocol='{protocol}' with test_size=0.999 left no training interactions"):
        split_interactions(synthetic(n_users=5, n_items=10), protocol, test_size=0.999)


def test_leakage_message_shows_plain_values():
    train = pd.DataFrame({'user_id': np.array([1], np.int64), 'item_id': [7], 'timestamp': np.array([100], np.int64)})
    test = pd.DataFrame({'user_id': np.array([1], np.int64), 'item_id': [8], 'timestamp': np.array([1], np.int64)})
    with pytest.raises(LeakageError) as e:
        check_leakage(train, test, 'leave-last-out')
    assert 'user 1: test at 1, training up to 100' in str(e.value) and 'np.' not in str(e.value)


def test_metrics_validate_hits_and_counts():
    H = np.array([[1, 0, 1], [0, 0, 0]], bool)
    for f in (lambda n: ndcg_at_k(H, n, 3), lambda n: recall_at_k(H, n, 3), lambda n: map_at_k(H, n, 3)):
        for n in ([np.nan, 1], [np.inf, 1], [2.5, 1], [-1, 1]):
            with pytest.raises(ValueError, match='`n_relevant` must hold non-negative whole counts'):
                f(n)
    for h in (np.array([[np.nan, 0.0]]), np.array([[2, 0]])):
        with pytest.raises(ValueError, match='`hits` must hold only 0/1'):
            precision_at_k(h, 1)
    np.testing.assert_allclose(precision_at_k(np.array([[1.0, 0.0]]), 2), [0.5])    # 0/1 floats are fine


def test_repeated_item_is_a_hit_once():
    H, n = hits_from_lists([['a', 'a', 'a', 'b'], ['b', 'a', 'b']], [{'a'}, {'b'}])
    assert H.astype(int).tolist() == [[1, 0, 0, 0], [1, 0, 0, 0]]
    np.testing.assert_allclose(recall_at_k(H, n, 3), [1, 1])
    np.testing.assert_allclose(ndcg_at_k(H, n, 3), [1, 1])
    np.testing.assert_allclose(precision_at_k(H, 3), [1 / 3, 1 / 3])
    assert hit_matrix(np.array([[2, 2, -1, -1]]), np.array([[0, 0, 1]])).tolist() == [[True, False, False, False]]


def test_shape_duplicates_and_argument_checks():
    import scipy.sparse as sp
    with pytest.raises(ValueError, match=r'`exclude` must have the shape of `scores` \(1, 3\), got \(1, 5\)'):
        top_k_items(np.array([[1., 2, 3]]), 3, exclude=sp.csr_matrix(np.array([[0, 1, 0, 0, 1]])))
    assert top_k_items(np.array([[1., 2, 3]]), 3, exclude=sp.csr_matrix(np.array([[0, 0, 1]]))).tolist() == [[1, 0, -1]]
    with pytest.raises(ValueError, match="`catalog` repeats 1 item id\\(s\\), e.g. \\['a'\\]"):
        catalog_coverage([['a']], ['a', 'a'])
    df = synthetic(n_users=40)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ev = run_evaluation({'r': RandomModel(), 'p': PopularModel()}, df, k=[3], n_boot=None)
    for alpha in (5, 0, 1, True, 'x'):
        with pytest.raises(ValueError, match='`alpha` must be a number strictly between 0 and 1'):
            paired_test(ev, 'ndcg', 3, alpha=alpha, n_boot=20)
    for pairs in ([('r',)], ['rp'], [('r', 'p', 'r')], [5]):
        with pytest.raises(ValueError, match=r'`pairs` must hold \(model_a, model_b\) pairs'):
            paired_test(ev, 'ndcg', 3, pairs=pairs, n_boot=20)


@pytest.mark.parametrize('argv, message', [
    (['--seed', '-1'], '--seed must be 0 or more, got -1.'),
    (['--test-size', '2'], '--test-size must be strictly between 0 and 1, got 2.'),
    (['--test-size', '0'], '--test-size must be strictly between 0 and 1, got 0.'),
    (['--test-size', 'nan'], '--test-size must be strictly between 0 and 1, got nan.'),
])
def test_cli_seed_and_test_size_are_usage_errors(argv, message, capsys):
    assert cli(['--dataset', 'movielens', 'X', *argv]) == 2
    assert capsys.readouterr().err == f'llmrec evaluate: error: {message}\n'


def test_cli_caps_huge_k(tiny_movielens, tmp_path, capsys):
    assert cli(['--dataset', 'movielens', str(tiny_movielens), '--models', 'random', '--n-boot', '0', '-k', '100000',
                '--out', str(tmp_path/'r')]) == 0
    out = capsys.readouterr()
    assert 'exceed(s) the' in out.err and 'capped at k=' in out.err and 'k = 100000' not in out.out
