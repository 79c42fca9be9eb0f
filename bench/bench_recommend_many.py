"""Batch recommendations at catalog scale: `ContentRecommender.recommend_many` against the naive scikit-learn path.

    .venv/bin/python bench/bench_recommend_many.py                      # 100,000 items, 1,000 users
    .venv/bin/python bench/bench_recommend_many.py --items 20000 --users 200
    .venv/bin/python bench/bench_recommend_many.py --smoke              # 2,000 items, 50 users: a few seconds

The catalog is synthetic but made of real Chinese text: each title joins the first half of one real text's
jieba words to the second half of another's from the same category (THUCNews headlines by class, KuaiRec
captions by first-level category; `--seed` fixes every draw), so titles have the length, vocabulary and topical
mix of the real corpora. `ContentRecommender(features='tfidf')` is fitted on it (not timed). Each user's history
is 3 items drawn from one category.

Two paths produce each user's top `k` (seen items excluded):
* `recommend_many(histories, k, explain=False, diversity=0)`;
* naive: per user, scikit-learn `cosine_similarity(item_matrix, rows_of_the_history)` (n_items x 3), each entry's
  column divided by its best similarity to an item other than its own and capped at 1 (the calibration
  `recommend` applies), the same aggregation (`llmrec.recommend.aggregate_scores`, equal weights), seen items
  set to -inf, then a full `np.argsort`.
Both are timed once over all users in this process (wall clock, after a warm-up on a few users that is not
counted). So that a busy moment of a shared machine does not land on one path only, the users are taken in chunks
(`--chunk`, 100 by default; 0 = one call for all) and the two paths take turns on each chunk, the first to go
alternating; a path's time is its sum over chunks. Their top-k lists must agree for every user, up to the order of
exactly tied scores.

Peak memory is measured in a fresh subprocess per path, so that neither masks the other: the model is saved with
`ContentRecommender.save` and loaded there, the kernel's peak-RSS mark is reset (Linux `/proc/self/clear_refs`),
the path runs once, and the growth of the peak resident set (VmHWM) over the resident set just before the run is
reported; then the path runs again under `tracemalloc`, whose peak counts the numpy and Python allocations of the
path itself (the model is already loaded in both cases).
Results are printed as a table and written as JSON to bench/results/ (or `--out`).
"""
import gc, json, os, platform, subprocess, sys, tempfile, time, tracemalloc
from pathlib import Path
import numpy as np, pandas as pd
from fastcore.script import call_parse
from sklearn.metrics.pairwise import cosine_similarity
from llmrec.clean import clean_text
from llmrec.data import load_dataset, shared_data_dir
from llmrec.recommend import ContentRecommender, aggregate_scores

HERE = Path(__file__).resolve().parent


def load_sources(root:Path)->pd.DataFrame:
    "Real texts to recombine: THUCNews headlines and KuaiRec captions, with their category."
    if root is None or not (root/'thucnews_titles').is_dir() or not (root/'kuairec').is_dir():
        raise FileNotFoundError(f'No data: the bench needs the real datasets, a folder holding thucnews_titles/ and '
                                f'kuairec/ (got {root}). Pass --data DIR or set LLMREC_DATA_DIR.')
    news, _ = load_dataset('thucnews', root/'thucnews_titles')
    videos, _ = load_dataset('kuairec', root/'kuairec')
    videos = videos[videos.text.notna() & videos.category.notna()]
    out = pd.concat([pd.DataFrame({'text': news.text, 'category': 'thucnews/' + news.category}),
                     pd.DataFrame({'text': videos.text, 'category': 'kuairec/' + videos.category})], ignore_index=True)
    return out[out.text.str.strip().str.len() > 1].reset_index(drop=True)


def synthetic_catalog(sources:pd.DataFrame, n_items:int, seed:int=0)->pd.DataFrame:
    "`n_items` titles, each the first half of a cleaned real text's words then the second half of another's, same category."
    import jieba, logging
    jieba.setLogLevel(logging.WARNING)
    cut = jieba.Tokenizer()
    rng = np.random.default_rng(seed)
    by_cat = sources.groupby('category').indices
    cats = sorted(by_cat)
    share = np.array([len(by_cat[c]) for c in cats], dtype=float)
    chosen = rng.choice(len(cats), size=n_items, p=share / share.sum())
    words, titles = {}, []
    for c in chosen:
        a, b = rng.choice(by_cat[cats[c]], size=2, replace=False)
        wa, wb = (words[i] if i in words else words.setdefault(i, cut.lcut(clean_text(sources.text[i]))) for i in (a, b))
        titles.append(''.join(wa[:(len(wa) + 1) // 2] + wb[len(wb) // 2:]).strip())
    width = len(str(n_items))
    return pd.DataFrame({'item_id': [f'syn-{i:0{width}d}' for i in range(n_items)], 'title': titles,
                         'category': [cats[c] for c in chosen]})


def draw_histories(catalog:pd.DataFrame, n_users:int, length:int=3, seed:int=0)->list[list[str]]:
    "`n_users` histories of `length` distinct item ids, each drawn from one category (categories by size)."
    rng = np.random.default_rng(seed)
    by_cat = {c: ix for c, ix in catalog.groupby('category').indices.items() if len(ix) >= length}
    cats = sorted(by_cat)
    share = np.array([len(by_cat[c]) for c in cats], dtype=float)
    ids = catalog.item_id.to_numpy()
    return [ids[rng.choice(by_cat[cats[c]], size=length, replace=False)].tolist()
            for c in rng.choice(len(cats), size=n_users, p=share / share.sum())]


def naive_top_k(model:ContentRecommender, histories:list, k:int=10)->list[tuple[np.ndarray, np.ndarray]]:
    "Per user: cosine_similarity against the whole item matrix, the same aggregation, a full argsort."
    X, row_of, out = model.item_matrix_, {v: i for i, v in enumerate(model.item_ids_)}, []
    for h in histories:
        rows = [row_of[i] for i in h]
        H = X[rows]
        w = (np.diff(H.indptr) > 0).astype(float)     # entries without any term carry no weight, as in `recommend`
        S = cosine_similarity(X, H)                    # (n_items, len(h)), dense
        best = np.where(np.arange(len(S))[:, None] == np.array(rows), 0, S).max(axis=0)   # best item other than its own
        S = np.minimum(S / np.where(best > 1e-12, best, 1), 1)   # each entry's closest other item scores 1, as in `recommend`
        scores = aggregate_scores(S, w / w.sum(), model.aggregate)
        scores[rows] = -np.inf
        top = np.argsort(-scores, kind='stable')[:k]
        top = top[scores[top] > 1e-12]                 # `recommend` returns positive scores only
        out.append((top, scores[top]))
    return out


def fast_top_k(model:ContentRecommender, histories:list, k:int=10)->list[tuple[np.ndarray, np.ndarray]]:
    "`recommend_many` with explanations and diversity off, as (rows, scores) per user."
    if not hasattr(model, 'recommend_many'):
        raise SystemExit('This llmrec has no ContentRecommender.recommend_many yet: nothing to benchmark.')
    df = model.recommend_many(histories, k=k, explain=False, diversity=0)
    row_of = {v: i for i, v in enumerate(model.item_ids_)}
    rows = df.item_id.map(row_of).to_numpy()
    groups = df.groupby('user_id', sort=False).indices
    return [(rows[groups[u]], df.score.to_numpy()[groups[u]]) if u in groups else (np.array([], int), np.array([]))
            for u in range(len(histories))]


def disagreements(a:list, b:list, rtol:float=1e-6)->list[int]:
    "Users whose top-k differ beyond the order of exactly tied scores (equal within `rtol`)."
    close = lambda x, y: np.allclose(x, y, rtol=rtol, atol=1e-12)
    bad = []
    for u, ((ra, sa), (rb, sb)) in enumerate(zip(a, b)):
        if len(ra) != len(rb) or not close(sa, sb): bad.append(u); continue     # position by position
        ia, ib = np.isin(ra, rb), np.isin(rb, ra)      # an item in both lists has the same score in both
        if not close(sa[ia][np.argsort(ra[ia])], sb[ib][np.argsort(rb[ib])]): bad.append(u)
    return bad


PATHS = {'recommend_many': fast_top_k, 'naive (cosine_similarity + argsort)': naive_top_k}


def _rss_mb(field:str)->float:
    "VmRSS (resident now) or VmHWM (peak resident) of this process, in MB, from /proc/self/status"
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith(field + ':'): return int(line.split()[1]) / 1024
    raise OSError(f'/proc/self/status has no {field}')


def measure_memory(model_dir:str, histories_file:str, path:str, k:int)->dict:
    "In this (fresh) process: load the model, then run one path twice: plain for the RSS peak, then under tracemalloc."
    model = ContentRecommender.load(model_dir)
    histories = json.loads(Path(histories_file).read_text())
    gc.collect()
    Path('/proc/self/clear_refs').write_text('5')      # reset the peak-RSS mark (VmHWM) to the current RSS
    before = _rss_mb('VmRSS')
    PATHS[path](model, histories, k)
    peak = _rss_mb('VmHWM')
    gc.collect()
    tracemalloc.start()
    PATHS[path](model, histories, k)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {'tracemalloc_peak_mb': traced, 'rss_before_mb': before, 'rss_peak_mb': peak, 'rss_growth_mb': peak - before}


def memory_in_subprocess(model_dir:str, histories_file:str, path:str, k:int)->dict:
    code = ('import json, sys; sys.path.insert(0, sys.argv[1]); import bench_recommend_many as b; '
            'print(json.dumps(b.measure_memory(*sys.argv[2:5], int(sys.argv[5]))))')
    got = subprocess.run([sys.executable, '-c', code, str(HERE), model_dir, histories_file, path, str(k)],
                         capture_output=True, text=True)
    if got.returncode: raise RuntimeError(f'memory subprocess for {path!r} failed:\n{got.stderr}')
    return json.loads(got.stdout.strip().splitlines()[-1])


def run(root:Path, n_items:int, n_users:int, k:int=10, seed:int=0, memory:bool=True, chunk:int=100, log=print)->dict:
    "Build the catalog, fit, time both paths, check they agree, measure memory; the results as a dict."
    t0 = time.perf_counter()
    catalog = synthetic_catalog(load_sources(root), n_items, seed)
    histories = draw_histories(catalog, n_users, seed=seed)
    t1 = time.perf_counter()
    model = ContentRecommender(features='tfidf').fit(catalog, text_cols='title')
    t2 = time.perf_counter()
    log(f'catalog of {n_items:,} items built in {t1 - t0:.1f} s, fitted in {t2 - t1:.1f} s '
        f'({len(model.feature_names_):,} terms, {model.item_matrix_.nnz:,} non-zeros); {n_users:,} histories')
    seconds, results = dict.fromkeys(PATHS, 0.0), {name: [] for name in PATHS}
    for f in PATHS.values(): f(model, histories[:5], k)          # warm-up, not counted
    step = chunk or n_users
    for c, a in enumerate(range(0, n_users, step)):                # the paths take turns, chunk by chunk
        for name in (list(PATHS) if c % 2 == 0 else list(PATHS)[::-1]):
            t = time.perf_counter()
            results[name] += PATHS[name](model, histories[a:a + step], k)
            seconds[name] += time.perf_counter() - t
    for name in PATHS: log(f'{name}: {seconds[name]:.2f} s')
    fast, naive = (results[n] for n in PATHS)
    bad = disagreements(fast, naive)
    out = {'items': n_items, 'users': n_users, 'k': k, 'seed': seed, 'history_length': 3, 'chunk': step,
           'terms': len(model.feature_names_), 'nonzeros': int(model.item_matrix_.nnz),
           'seconds': seconds, 'ratio': seconds[list(PATHS)[1]] / seconds[list(PATHS)[0]],
           'users_disagreeing': len(bad), 'disagreeing_examples': bad[:5],
           'python': platform.python_version(), 'cores': os.cpu_count(), 'load_average': os.getloadavg()[0]}
    if memory:
        with tempfile.TemporaryDirectory() as tmp:
            model_dir, histories_file = f'{tmp}/model', f'{tmp}/histories.json'
            model.save(model_dir)                      # llmrec's own arrays + JSON folder
            Path(histories_file).write_text(json.dumps(histories))
            del model, results, fast, naive; gc.collect()
            out['memory'] = {name: memory_in_subprocess(model_dir, histories_file, name, k) for name in PATHS}
    return out


def table(r:dict)->str:
    names = list(PATHS)
    lines = [f"# recommend_many vs naive: {r['items']:,} items, {r['users']:,} users x {r['history_length']} items, "
             f"k={r['k']}, {r['chunk']:,} users per call (Python {r['python']}, {r['cores']} cores, "
             f"load average {r['load_average']:.1f})", '',
             '| path | seconds | x naive | tracemalloc peak MB | peak RSS growth MB |', '|---|---:|---:|---:|---:|']
    for n in names:
        m = r.get('memory', {}).get(n)
        mem = f"{m['tracemalloc_peak_mb']:.1f} | {m['rss_growth_mb']:.1f}" if m else '- | -'
        lines.append(f"| {n} | {r['seconds'][n]:.2f} | {r['seconds'][names[1]] / r['seconds'][n]:.1f} | {mem} |")
    lines += ['', f"top-{r['k']} lists agree for {r['users'] - r['users_disagreeing']:,} of {r['users']:,} users"
              + (f" (differ: users {r['disagreeing_examples']})" if r['users_disagreeing'] else ' (up to exact ties)')]
    return '\n'.join(lines)


@call_parse
def main(items:int=100_000, # catalog size
         users:int=1_000, # number of histories
         k:int=10, # recommendations per user
         seed:int=0, # fixes the catalog and the histories
         smoke:bool=False, # tiny run (2,000 items, 50 users) to check the bench works
         chunk:int=100, # users per timed call; the two paths take turns chunk by chunk (0: all users in one call)
         no_memory:bool=False, # skip the memory subprocesses
         data:str=None, # folder holding thucnews_titles/ and kuairec/; default: llmrec.data.shared_data_dir()
         out:str=None, # JSON file to write; default bench/results/recommend_many_<items>x<users>.json
        ):
    "Time recommend_many against cosine_similarity + argsort on a synthetic catalog of real Chinese text"
    if smoke: items, users = 2_000, 50
    try: r = run(Path(data) if data else shared_data_dir(), items, users, k, seed, memory=not no_memory, chunk=chunk,
                 log=lambda s: print(s, file=sys.stderr))
    except FileNotFoundError as e: sys.exit(str(e))
    print(table(r))
    dest = Path(out) if out else HERE/'results'/f'recommend_many_{items}x{users}.json'
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(r, indent=1, ensure_ascii=False))
    print(f'\nwritten to {dest}', file=sys.stderr)
    if r['users_disagreeing']: sys.exit(f"{r['users_disagreeing']} users get different top-{k} lists from the two paths")
