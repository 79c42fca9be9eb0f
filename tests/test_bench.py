"The batch-recommendation bench at tiny size: it runs, both paths give the same top-k, its agreement check can fail."
import json, subprocess, sys
from pathlib import Path
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT/'bench'/'bench_recommend_many.py'
sys.path.insert(0, str(BENCH.parent))
import bench_recommend_many as bench  # noqa: E402


def test_disagreements_allows_ties_only():
    r = lambda *x: np.array(x)
    naive = [(r(4, 7, 9), r(.9, .5, .5)), (r(4, 7, 9), r(.9, .5, .4)), (r(1, 2), r(.3, .2))]
    fast = [(r(4, 9, 7), r(.9, .5, .5)),       # tied items in the other order: agree
            (r(4, 9, 7), r(.9, .5, .4)),       # 9 and 7 swapped though their scores differ: disagree
            (r(1, 3), r(.3, .2))]              # a different item at the cut-off with the same score: a tie, agree
    assert bench.disagreements(fast, naive) == [1]
    assert bench.disagreements([(r(1, 2), r(.3, .2))], [(r(1, 2, 3), r(.3, .2, .1))]) == [0]   # lengths differ


def test_bench_smoke(shared_data, tmp_path):
    out = tmp_path/'bench.json'
    got = subprocess.run([sys.executable, str(BENCH), '--smoke', '--data', str(shared_data), '--out', str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert got.returncode == 0, got.stderr
    r = json.loads(out.read_text())
    assert (r['items'], r['users'], r['users_disagreeing']) == (2000, 50, 0)
    assert set(r['seconds']) == set(r['memory']) == set(bench.PATHS) and all(s > 0 for s in r['seconds'].values())
    assert all(m['tracemalloc_peak_mb'] > 0 and m['rss_peak_mb'] >= m['rss_before_mb'] for m in r['memory'].values())
    assert '| recommend_many |' in got.stdout and 'agree for 50 of 50 users' in got.stdout


def test_synthetic_catalog_is_deterministic_and_real(shared_data):
    sources = bench.load_sources(shared_data)
    assert sources.category.str.startswith('thucnews/').sum() == 20_000 and sources.category.nunique() > 40
    a, b = (bench.synthetic_catalog(sources, 300, seed=1) for _ in range(2))
    assert a.equals(b) and a.item_id.is_unique and len(a) == 300
    assert a.title.str.len().gt(1).all() and a.category.str.match('^(thucnews|kuairec)/').all()
    hist = bench.draw_histories(a, 20, seed=1)
    cat = a.set_index('item_id').category
    assert len(hist) == 20 and all(len(set(h)) == 3 and cat[h].nunique() == 1 for h in hist)


def test_bench_without_data_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match='No data: the bench needs the real datasets'):
        bench.load_sources(tmp_path)
