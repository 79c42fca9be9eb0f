"""Throughput of llmrec's tokenizers on real Chinese text, against plain `jieba.lcut`.

    .venv/bin/python bench/bench_tokenizers.py                 # the data from llmrec.data.shared_data_dir()
    .venv/bin/python bench/bench_tokenizers.py --data DIR      # DIR holds thucnews_titles/ and kuairec/

THUCNews headlines and KuaiRec captions are cleaned with `clean_text` first (not timed) and their distinct texts
kept, so no string is tokenised twice within a run. Every tokenizer is called with `tokenize` (not
`tokenize_corpus`, which would skip repeated strings) on each text in turn; `jieba.lcut` is the baseline, on
jieba's global, warmed-up dictionary. After one warm-up pass (which also loads the dictionaries and vocabularies),
the texts are timed in chunks (`--chunk`, 2,000 by default): each tokenizer makes `--runs` passes over a chunk in
a row and its best pass counts, then the next tokenizer takes the chunk; a tokenizer's time is the sum over chunks.
Chunks keep a busy moment of a shared machine from landing on one tokenizer only. MB/s is UTF-8 bytes of input
per second; the ratio compares with the baseline of the same run. It also reports how often the rjieba backend gives
exactly the jieba backend's tokens. Speed is measured here only, never in the unit tests.
"""
import logging, os, platform, sys, time
from pathlib import Path
import jieba
from fastcore.script import call_parse
from llmrec.clean import clean_text
from llmrec.data import load_kuairec, load_thucnews, shared_data_dir
from llmrec.tokens import CharNgramTokenizer, JiebaTokenizer, LLMTokenizer

jieba.setLogLevel(logging.WARNING)

TOKENIZERS = {   # name -> a function that builds the callable to time
    'jieba.lcut (baseline)': lambda: jieba.lcut,
    'JiebaTokenizer()': lambda: JiebaTokenizer().tokenize,
    "JiebaTokenizer(backend='rjieba')": lambda: JiebaTokenizer(backend='rjieba').tokenize,
    'LLMTokenizer()': lambda: LLMTokenizer().tokenize,
    'CharNgramTokenizer()': lambda: CharNgramTokenizer().tokenize,
}


def load_corpora(data:Path)->dict:
    "The cleaned texts of each corpus, all of them (for the agreement check) and the distinct ones (for timing)."
    thucnews = load_thucnews(data/'thucnews_titles').text
    kuairec = load_kuairec(data/'kuairec').text.dropna()
    out = {}
    for name, texts in (('THUCNews headlines', thucnews), ('KuaiRec captions', kuairec)):
        cleaned = [clean_text(t) for t in texts]
        out[name] = cleaned, list(dict.fromkeys(cleaned))
    return out


def time_chunks(funcs:dict, texts:list, runs:int, chunk:int, clock)->dict:
    "Seconds per tokenizer: the sum over chunks of `texts` of the best of `runs` passes over the chunk."
    total = dict.fromkeys(funcs, 0.0)
    for c, start in enumerate(range(0, len(texts), chunk)):
        part = texts[start:start + chunk]
        names = list(funcs)[c % len(funcs):] + list(funcs)[:c % len(funcs)]   # who goes first changes by chunk
        for name in names:
            f, best = funcs[name], float('inf')
            for _ in range(runs):
                t0 = clock()
                for text in part: f(text)
                best = min(best, clock() - t0)
            total[name] += best
    return total


def differences(a:list, b:list, texts:list, n:int=5)->list:
    "Up to `n` (text, tokens a, tokens b) where the two token lists differ."
    return [(t, x, y) for t, x, y in zip(texts, a, b) if x != y][:n]


@call_parse
def main(data:str=None, # folder holding thucnews_titles/ and kuairec/; default: llmrec.data.shared_data_dir()
         runs:int=3, # timed passes per chunk and tokenizer (the best one counts)
         chunk:int=2000, # texts per timed chunk (a large number: whole-corpus passes)
         cpu:bool=False, # time process CPU seconds instead of wall-clock seconds
        ):
    "Measure MB/s of jieba.lcut and llmrec's tokenizers on THUCNews headlines and KuaiRec captions"
    root = Path(data) if data else shared_data_dir()
    if root is None or not (root/'thucnews_titles').is_dir():
        sys.exit(f'No data: pass --data, the folder holding thucnews_titles/ and kuairec/ (got {root}).')
    corpora = load_corpora(root)
    clock = time.process_time if cpu else time.perf_counter
    funcs = {name: make() for name, make in TOKENIZERS.items()}
    print(f'# Tokenizer throughput ({"CPU" if cpu else "wall-clock"} time; Python {platform.python_version()}, '
          f'{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start)\n')
    rates, agreement = {}, {}
    for corpus, (texts, distinct) in corpora.items():
        size = sum(len(t.encode('utf-8')) for t in distinct)
        warm = {name: [f(t) for t in distinct] for name, f in funcs.items()}   # warm-up; its output checks agreement
        by_text = [dict(zip(distinct, warm[name])) for name in ('JiebaTokenizer()', "JiebaTokenizer(backend='rjieba')")]
        slow, fast = ([d[t] for t in texts] for d in by_text)
        agreement[corpus] = (sum(a == b for a, b in zip(slow, fast)), len(texts), differences(slow, fast, texts))
        seconds = time_chunks(funcs, distinct, runs, chunk, clock)
        rates[corpus] = {name: size / 1e6 / s for name, s in seconds.items()}
        print(f'{corpus}: {len(distinct):,} distinct of {len(texts):,} texts, {size / 1e6:.2f} MB', file=sys.stderr)
    names = list(funcs)
    print('| tokenizer | ' + ' | '.join(f'{c} MB/s | × jieba.lcut' for c in corpora) + ' |')
    print('|---|' + '---:|---:|' * len(corpora))
    for name in names:
        cells = [f'{rates[c][name]:.2f} | {rates[c][name] / rates[c][names[0]]:.1f}' for c in corpora]
        print(f'| `{name}` | ' + ' | '.join(cells) + ' |')
    print()
    for corpus, (same, n, diffs) in agreement.items():
        print(f"rjieba vs jieba backend, {corpus}: identical tokens for {same:,} of {n:,} texts ({same / n:.2%})")
        for text, a, b in diffs: print(f'  {text!r}\n    jieba:  {a}\n    rjieba: {b}')
