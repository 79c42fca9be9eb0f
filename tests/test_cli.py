"""The `llmrec` command: outputs, exit codes, one-line errors, warnings, and the real datasets (slow).

The installed console script runs as a subprocess for what only a real process shows (entry point, exit status,
stray output, tracebacks); the long tables of the CLI's own logic call `llmrec.cli.main` in-process, which is
what the script calls, to avoid a fresh interpreter (jieba, scikit-learn) per case."""
import functools, io, json, re, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest
import llmrec
from llmrec.cli import main
from llmrec.data import CATALOG_TEXT_COLS, load_catalog, load_kuairec
from llmrec.recommend import ContentRecommender

LLMREC = Path(sys.executable).parent/'llmrec'
COLUMNS = ['item_id', 'title', 'category', 'subcategory', 'score', 'rank', 'explanation', 'because', 'terms']
WORKED = '笔记本电脑,智能手机,耳机'


@functools.lru_cache(maxsize=None)
def _run(args:tuple):
    return subprocess.run([str(LLMREC), *args], capture_output=True, text=True, encoding='utf-8', timeout=600)


def llmrec_cmd(*args): return _run(tuple(map(str, args)))


def in_process(capsys, *args):
    "Run `main` in this process, as a CompletedProcess: for the CLI's own logic, without a fresh interpreter per case"
    capsys.readouterr()
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)


def stderr_lines(p): return [l for l in p.stderr.splitlines() if l.strip()]


def records(p):
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_console_script_is_installed():
    assert LLMREC.is_file(), f'{LLMREC} is missing; install the project in editable mode'


# ---- the worked example, three formats ----

def test_worked_example_table():
    p = llmrec_cmd('recommend', '--history', WORKED, '-k', 10)
    assert p.returncode == 0, p.stderr
    assert p.stderr == ''  # no warnings, no jieba chatter
    lines = p.stdout.rstrip('\n').splitlines()
    assert lines[0].split()[:2] == ['rank', 'item_id'] and set(lines[1]) <= {'-', ' '}
    rows = [l for l in lines[2:] if l[:1].isdigit()]   # explanations and footnotes are indented or bracketed
    assert [r.split()[0] for r in rows] == [str(i) for i in range(1, 11)]
    top10 = '\n'.join(rows)
    assert '平板电脑' in top10 and '阅读器' in top10
    assert '共同关键词：' in p.stdout
    assert 'because' not in p.stdout and '[[' not in p.stdout          # the structured columns are for programs


def test_worked_example_json():
    recs = records(llmrec_cmd('recommend', '--history', WORKED, '-k', 10, '--format', 'json'))
    assert len(recs) == 10
    assert all(list(r) == COLUMNS for r in recs)
    assert [r['rank'] for r in recs] == list(range(1, 11))
    subs = [r['subcategory'] for r in recs]
    assert '平板电脑' in subs and '电子书阅读器' in subs
    assert all(r['score'] > 0 and r['explanation'].startswith('与您浏览的「') for r in recs)
    for r in recs:          # structured explanations: entries and terms with their shares, each summing to the score
        assert {e for e, _ in r['because']} <= set(WORKED.split(','))
        assert sum(s for _, s in r['because']) == pytest.approx(r['score'], abs=1e-6)
        assert sum(s for _, s in r['terms']) == pytest.approx(r['score'], abs=1e-6)


def test_worked_example_csv_matches_json():
    p = llmrec_cmd('recommend', '--history', WORKED, '-k', 5, '--format', 'csv')
    assert p.returncode == 0, p.stderr
    df = pd.read_csv(io.StringIO(p.stdout))
    assert df.columns.tolist() == COLUMNS and len(df) == 5
    assert df['rank'].tolist() == [1, 2, 3, 4, 5]
    recs = records(llmrec_cmd('recommend', '--history', WORKED, '-k', 5, '--format', 'json'))
    assert df.item_id.tolist() == [r['item_id'] for r in recs]
    assert df.explanation.tolist() == [r['explanation'] for r in recs]
    for col in ('because', 'terms'):            # list cells are JSON in the CSV
        for cell, r in zip(df[col], recs):
            assert [e for e, _ in json.loads(cell)] == [e for e, _ in r[col]]
            assert [v for _, v in json.loads(cell)] == pytest.approx([v for _, v in r[col]], abs=1e-9)


def test_cli_gives_the_library_answer():
    expected = ContentRecommender().fit(load_catalog(), text_cols=CATALOG_TEXT_COLS).recommend(WORKED.split(','), k=5)
    recs = records(llmrec_cmd('recommend', '--history', WORKED, '-k', 5, '--format', 'json'))
    assert [r['item_id'] for r in recs] == expected.item_id.tolist()
    assert [r['score'] for r in recs] == pytest.approx(expected.score.tolist())


def test_history_may_be_repeated_and_use_full_width_commas(capsys):
    one = records(llmrec_cmd('recommend', '--history', WORKED, '-k', 5, '--format', 'json'))
    split = records(in_process(capsys, 'recommend', '--history', '笔记本电脑，智能手机', '--history', ' 耳机 ', '-k', 5,
                               '--format', 'json'))
    assert split == one


@pytest.mark.parametrize('opts', [['--features', 'bow'], ['--aggregate', 'max'], ['--aggregate', 'mean', '--diversity', 0]])
def test_model_options(opts, capsys):
    recs = records(in_process(capsys, 'recommend', '--history', WORKED, '-k', 6, '--format', 'json', *opts))
    assert len(recs) == 6 and [r['rank'] for r in recs] == list(range(1, 7))
    if '--diversity' in opts:
        scores = [r['score'] for r in recs]
        assert scores == sorted(scores, reverse=True)


def test_item_id_history_and_keep_seen(capsys):
    seen = records(in_process(capsys, 'recommend', '--history', 'phone-03', '-k', 3, '--format', 'json'))
    assert 'phone-03' not in [r['item_id'] for r in seen] and seen[0]['subcategory'] == '智能手机'
    kept = records(in_process(capsys, 'recommend', '--history', 'phone-03', '-k', 3, '--format', 'json', '--keep-seen'))
    assert kept[0]['item_id'] == 'phone-03'


# ---- help, version, no arguments ----

def test_help():
    p = llmrec_cmd('--help')
    assert p.returncode == 0 and 'recommend' in p.stdout and p.stderr == ''
    p = llmrec_cmd('recommend', '--help')
    assert p.returncode == 0 and '--history' in p.stdout and p.stderr == ''
    for opt in ('-k', '--items', '--dataset', '--encoding', '--text-col', '--format'): assert opt in p.stdout


def test_version():
    p = llmrec_cmd('--version')
    assert p.returncode == 0 and p.stdout.strip() == f'llmrec {llmrec.__version__}'


def test_no_arguments_exits_2_with_usage():
    p = llmrec_cmd()
    assert p.returncode == 2
    assert 'usage: llmrec' in p.stdout + p.stderr and 'Traceback' not in p.stderr


# ---- errors: exit code and one line on stderr ----

@pytest.fixture(scope='module')
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp('cli')
    def write(name, text, encoding='utf-8'):
        (d/name).write_bytes(text.encode(encoding))
        return str(d/name)
    return {'gbk': write('gbk.csv', 'item_id,text\n1,蓝牙耳机\n2,智能手机\n', 'gbk'),
            'dup': write('dup.csv', 'item_id,text\na,蓝牙耳机\nb,手机\na,电脑\n'),
            'stop': write('stop.csv', 'item_id,text\na,的了\nb,我们\n'),
            'notext': write('notext.csv', 'item_id,text\na,\nb,\n'),
            'ok': write('ok.csv', 'item_id,text\na,蓝牙耳机\nb,降噪耳机\nc,智能手机\n'),
            'gap': write('gap.csv', 'item_id,text\na,蓝牙耳机\nb,\nc,降噪耳机\n'),
            'xlsx': write('items.xlsx', 'item_id,text\na,蓝牙耳机\n'),
            'ints': write('ints.jsonl', '{"item_id": 1, "text": "蓝牙耳机"}\n{"item_id": 2, "text": "降噪耳机 头戴"}\n'
                                        '{"item_id": 3, "text": "智能手机 999元"}\n'),
            'dir': str(d), 'missing': str(d/'nope.csv')}


H = ['recommend', '--history', '耳机']
GBK_HINT = re.compile(r"encoding='gbk'|--encoding gbk")   # the library's fix, or the CLI's phrasing of it
ARGPARSE = ()   # were xfail: argparse printed its usage block; fixed, errors are one line
ENCODING = ()   # were xfail: an unknown --encoding raised LookupError; fixed, exit 3
ERRORS = [  # (case, args with {file} placeholders, exit code, text of the error line, marks: the
    # argparse one only on the one-line check, ENCODING on both checks)
    ('unknown option', H + ['--bogus'], 2, 'unrecognized arguments: --bogus', ARGPARSE),
    ('k not an int', H + ['-k', 'abc'], 2, "argument -k: invalid int value: 'abc'", ARGPARSE),
    ('no history', ['recommend'], 2, '--history', ()),
    ('bad format', H + ['--format', 'xml'], 2, "invalid choice: 'xml'", ARGPARSE),
    ('k = 0', H + ['-k', '0'], 2, '`k` must be a positive int, got 0.', ()),
    ('k < 0', H + ['-k', '-3'], 2, '`k` must be a positive int, got -3.', ()),
    ('empty history', ['recommend', '--history', ' , '], 2, 'history', ()),
    ('two empty histories', ['recommend', '--history', '', '--history', '，'], 2, 'history', ()),
    ('diversity > 1', H + ['--diversity', '2'], 2, '`diversity` must be a number in [0, 1], got 2.0.', ()),
    ('diversity nan', H + ['--diversity', 'nan'], 2, '`diversity` must be a number in [0, 1], got nan.', ()),
    ('missing file', H + ['--items', '{missing}'], 3, re.compile(r'nope\.csv: .*catalog file'), ()),
    ('folder as file', H + ['--items', '{dir}'], 3, re.compile(r'cli0: .*folder'), ()),
    ('unknown extension', H + ['--items', '{xlsx}'], 3, "Cannot tell the format of", ()),
    ('GBK file', H + ['--items', '{gbk}'], 3, "is not valid UTF-8 (byte 0x", ()),
    ('GBK file hint', H + ['--items', '{gbk}'], 3, GBK_HINT, ()),
    ('unknown encoding', H + ['--items', '{gbk}', '--encoding', 'no-such-codec'], 3, 'no-such-codec', ENCODING),
    ('missing text column', H + ['--items', '{ok}', '--text-col', 'title'], 3,
     "is missing column(s) ['title']; it has ['item_id', 'text']", ()),
    ('missing id column', H + ['--items', '{ok}', '--id-col', 'sku'], 3, "is missing column(s) ['sku']; it has ['item_id', 'text']", ()),
    ('dataset text column', H + ['--dataset', 'catalog', '--text-col', 'blurb'], 3, "missing column(s) ['blurb']", ()),
    ('duplicate ids', H + ['--items', '{dup}'], 3, "1 duplicated item_id value(s) over 2 rows, e.g. ['a']", ()),
    ('all stop words', H + ['--items', '{stop}'], 3, 'No tokens left after cleaning and stop-word removal (2 documents)', ()),
    ('no text at all', H + ['--items', '{notext}'], 3, "None of the 2 items has any text in ['text']", ()),
    ('unknown dataset', H + ['--dataset', 'nope'], 3,
     "Unknown dataset 'nope'; choose one of ['catalog', 'kuairec', 'thucnews', 'movielens']", ()),
    ('dataset with two paths', H + ['--dataset', 'catalog', 'a', 'b'], 3, '--dataset takes a name and at most one folder', ()),
    ('dataset folder missing', H + ['--dataset', 'kuairec', '{missing}'], 3, re.compile(r'nope\.csv: .*KuaiRec'), ()),
    ('unknown --item', H + ['--item', 'phone-99'], 4, "Unknown item_id 'phone-99': not among the 337 fitted items", ()),
    ('unknown int --item', ['recommend', '--item', '999', '--items', '{ints}'], 4,
     re.compile(r"Unknown item_id '?999'?: not among the 3 fitted items"), ()),
    ('items and dataset', H + ['--items', '{ok}', '--dataset', 'catalog'], 3, 'Pass either --items or --dataset, not both.', ()),
]
ERROR_LINE = ('llmrec: error: ', 'llmrec recommend: error: ')


def contains(line, text):
    "`text` (a str, or a compiled pattern) occurs in `line`"
    return bool(text.search(line)) if isinstance(text, re.Pattern) else text in line


def case_args(args, files): return [str(a).format(**files) for a in args]


def run_case(args, files): return _run(tuple(case_args(args, files)))


def run_main(args, files, capsys):
    "(exit code, stdout, stderr lines) of `main` in this process: the full table would cost an interpreter per case"
    p = in_process(capsys, *case_args(args, files))
    return p.returncode, p.stdout, stderr_lines(p)


@pytest.mark.parametrize('args, code, text', [pytest.param(a, c, t, id=i, marks=m)
                                              for i, a, c, t, m in ERRORS])
def test_error_exit_code_and_message(files, capsys, args, code, text):
    got, out, err = run_main(args, files, capsys)
    assert got == code, err
    assert out == '', out
    assert err and err[-1].startswith(ERROR_LINE) and contains(err[-1], text), err


@pytest.mark.parametrize('args', [pytest.param(a, id=i, marks=m) for i, a, _, _, m in ERRORS])
def test_error_is_one_line(files, capsys, args):
    _, _, err = run_main(args, files, capsys)
    assert len(err) == 1 and err[0].startswith(ERROR_LINE), err


@pytest.mark.parametrize('args, code, text', [
    pytest.param(H + ['--bogus'], 2, 'unrecognized arguments: --bogus', id='unknown option'),
    pytest.param(H + ['-k', '0'], 2, '`k` must be a positive int, got 0.', id='k = 0'),
    pytest.param(['recommend', '--history', ' , '], 2, 'history', id='empty history'),
    pytest.param(H + ['--items', '{missing}'], 3, re.compile(r'nope\.csv: .*catalog file'), id='missing file'),
    pytest.param(H + ['--items', '{gbk}'], 3, GBK_HINT, id='GBK file'),
    pytest.param(H + ['--item', 'phone-99'], 4, "Unknown item_id 'phone-99'", id='unknown --item'),
    pytest.param(H + ['--items', '{dup}'], 3, "['a']", id='duplicate ids'),
    pytest.param(H + ['--dataset', 'nope'], 3, "['catalog', 'kuairec', 'thucnews', 'movielens']", id='unknown dataset'),
    pytest.param(H + ['--items', '{gbk}', '--encoding', 'no-such-codec'], 3, 'no-such-codec', id='unknown encoding',
                 marks=ENCODING)])
def test_errors_end_to_end(files, args, code, text):
    "A sample of the table through the installed command: the exit status and stderr the shell sees"
    p = run_case(args, files)
    assert 'Traceback' not in p.stderr, p.stderr
    assert p.returncode == code, p.stderr
    assert p.stdout == ''
    assert stderr_lines(p)[-1].startswith(ERROR_LINE) and contains(stderr_lines(p)[-1], text), p.stderr


def test_gbk_file_with_encoding(files, capsys):
    recs = records(in_process(capsys, *case_args(H + ['--items', '{gbk}', '--encoding', 'gbk', '--format', 'json'], files)))
    assert [r['item_id'] for r in recs] == [1] and recs[0]['text'] == '蓝牙耳机'


# ---- ids on the command line ----

def test_int_ids_are_given_as_text(files, capsys):
    "`--history 2` names item 2 of an int-id catalog: it is left out, the items like it come back"
    args = ['recommend', '--history', '2', '--items', '{ints}', '-k', 2, '--format', 'json']
    recs = records(in_process(capsys, *case_args(args, files)))
    assert [r['item_id'] for r in recs] == [1]
    kept = records(in_process(capsys, *case_args(args + ['--keep-seen'], files)))
    assert 2 in [r['item_id'] for r in kept] and kept[0]['score'] == 1.0      # the seen item is back, as an int


def test_history_entry_that_is_not_an_id_is_free_text(files, capsys):
    "`--history 12345` on an int-id catalog is a query with no match (exit 0, a warning); only `--item` insists on an id"
    args = ['--items', '{ints}', '-k', 2, '--format', 'json']
    p = in_process(capsys, *case_args(['recommend', '--history', '12345'] + args, files))
    assert p.returncode == 0 and json.loads(p.stdout) == []
    assert stderr_lines(p) == ["llmrec: warning: None of the history's terms occur in the catalog; no item can be recommended.",
                               'llmrec: no item matches this history.']
    p = in_process(capsys, *case_args(['recommend', '--history', '999'] + args, files))
    assert [r['item_id'] for r in records(p)] == [3]  # '999' is text, and item 3's text mentions 999
    p = in_process(capsys, *case_args(['recommend', '--item', '999'] + args, files))
    assert p.returncode == 4 and p.stdout == '' and len(stderr_lines(p)) == 1


@pytest.mark.parametrize('how', [['--item', '2'], ['--history', '2']])
def test_item_option_names_an_int_id(files, capsys, how):
    recs = records(in_process(capsys, *case_args(['recommend', *how, '--items', '{ints}', '--format', 'json'], files)))
    assert [r['item_id'] for r in recs] == [1]


# ---- warnings ----

def test_k_larger_than_catalog_warns():
    n = len(load_catalog())
    p = llmrec_cmd('recommend', '--history', '耳机', '-k', 1000, '--format', 'csv')
    assert p.returncode == 0
    lines = stderr_lines(p)
    assert lines[0] == f'llmrec: warning: k=1000 is larger than the catalog ({n} items); returning at most {n}.'
    assert all(l.startswith('llmrec: ') and 'error' not in l for l in lines), lines
    assert 0 < len(pd.read_csv(io.StringIO(p.stdout))) <= n


def test_items_without_text_warn(files, capsys):
    p = in_process(capsys, *case_args(H + ['--items', '{gap}', '-k', 3, '--format', 'json'], files))
    assert p.returncode == 0
    lines = stderr_lines(p)
    assert lines[0] == "llmrec: warning: 1 of 3 items have no text in ['text']; they are kept but no text will match them."
    assert all(l.startswith('llmrec: ') and 'error' not in l for l in lines), lines
    assert {r['item_id'] for r in json.loads(p.stdout)} == {'a', 'c'}


@pytest.mark.parametrize('fmt, empty', [('json', '[]'), ('csv', ','.join(COLUMNS))])
def test_no_match_is_announced_and_exits_0(fmt, empty, capsys):
    p = in_process(capsys, 'recommend', '--history', '火星探测器', '--format', fmt)
    assert p.returncode == 0
    assert stderr_lines(p) == ["llmrec: warning: None of the history's terms occur in the catalog; no item can be recommended.",
                               'llmrec: no item matches this history.']
    assert p.stdout.strip() == empty


def test_ignored_entry_is_named(capsys):
    p = in_process(capsys, 'recommend', '--history', '火星探测器,降噪耳机', '-k', 3, '--format', 'json')
    assert p.returncode == 0
    assert stderr_lines(p) == ["llmrec: warning: History entries sharing no term with the catalog were ignored: ['火星探测器']."]
    assert all(r['subcategory'] == '耳机' for r in json.loads(p.stdout))


# ---- saved models: fit once, then --model ----

@pytest.fixture(scope='module')
def saved_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp('cli-models')/'catalog'
    p = llmrec_cmd('fit', '--save', folder)
    assert p.returncode == 0 and p.stderr == '', p.stderr
    assert re.fullmatch(rf'saved the tfidf model of 337 items to {re.escape(str(folder))} \(\d+ files, \d+ kB\)\n', p.stdout), p.stdout
    return folder


@pytest.mark.parametrize('query', [['--history', WORKED], ['--history', '降噪耳机', '--item', 'phone-03', '-k', 5],
                                   ['--history', 'phone-03', '--keep-seen', '--diversity', 0],
                                   ['--history', '火星探测器', '--fallback', 'popular'], ['--fallback', 'popular', '-k', 3]])
def test_recommend_from_saved_model_equals_fitting(saved_model, capsys, query):
    fitted = in_process(capsys, 'recommend', *query, '--format', 'json')
    loaded = in_process(capsys, 'recommend', *query, '--format', 'json', '--model', saved_model)
    assert loaded.returncode == fitted.returncode == 0
    assert records(loaded) == records(fitted) and loaded.stderr == fitted.stderr


def test_similar_from_saved_model_equals_fitting(saved_model, capsys):
    args = ['similar', 'headphones-02', '-k', 6, '--format', 'json']
    assert records(in_process(capsys, *args, '--model', saved_model)) == records(in_process(capsys, *args))


@pytest.mark.parametrize('features', ['bow', 'lsa', 'w2v', 'char'])
def test_fit_every_space_and_use_it(features, tmp_path, capsys):
    p = in_process(capsys, 'fit', '--save', tmp_path/'m', '--features', features, '--aggregate', 'max')
    assert p.returncode == 0 and f'saved the {features} model of 337 items' in p.stdout, p.stderr
    args = ['recommend', '--history', WORKED, '-k', 5, '--format', 'json']
    fitted = records(in_process(capsys, *args, '--features', features, '--aggregate', 'max'))
    loaded = records(in_process(capsys, *args, '--model', tmp_path/'m'))
    assert [r['item_id'] for r in loaded] == [r['item_id'] for r in fitted]
    assert [r['score'] for r in loaded] == pytest.approx([r['score'] for r in fitted], abs=1e-6)


def test_fit_replaces_a_saved_model_and_refuses_other_folders(tmp_path, capsys, files):
    assert in_process(capsys, 'fit', '--save', tmp_path/'m').returncode == 0
    p = in_process(capsys, *case_args(['fit', '--save', tmp_path/'m', '--items', '{ok}'], files))
    assert p.returncode == 0 and 'saved the tfidf model of 3 items' in p.stdout
    recs = records(in_process(capsys, 'recommend', '--history', '耳机', '--model', tmp_path/'m', '--format', 'json'))
    assert {r['item_id'] for r in recs} == {'a', 'b'}
    (tmp_path/'notes').mkdir(); (tmp_path/'notes'/'keep.txt').write_text('mine')
    p = in_process(capsys, 'fit', '--save', tmp_path/'notes')
    assert p.returncode == 1 and p.stdout == ''
    assert stderr_lines(p) == [f'llmrec: error: {tmp_path/"notes"}: the folder is not empty and holds no saved model; '
                               'choose a new or empty folder.']
    assert (tmp_path/'notes'/'keep.txt').read_text() == 'mine'


def test_int_ids_in_a_saved_model(files, tmp_path, capsys):
    assert in_process(capsys, *case_args(['fit', '--save', tmp_path/'m', '--items', '{ints}'], files)).returncode == 0
    recs = records(in_process(capsys, 'recommend', '--history', '2', '--model', tmp_path/'m', '--format', 'json'))
    assert [r['item_id'] for r in recs] == [1]                   # '2' names the int id 2, which stays an int
    recs = records(in_process(capsys, 'similar', '2', '--model', tmp_path/'m', '--format', 'json'))
    assert [r['item_id'] for r in recs] == [1]
    p = in_process(capsys, 'similar', '9', '--model', tmp_path/'m')
    assert p.returncode == 4 and stderr_lines(p)[0].startswith("llmrec: error: Unknown item_id '9'")


MODEL_ERRORS = [  # (case, args with {model} / {missing} placeholders, exit code, text of the one error line)
    ('model and features', ['recommend', '--history', '耳机', '--model', '{model}', '--features', 'bow'], 2,
     '--model uses a saved model as it is; --features only apply when fitting'),
    ('model and catalog', ['similar', 'phone-03', '--model', '{model}', '--items', 'x.csv', '--popularity-col', 'sales'], 2,
     '--items, --popularity-col only apply when fitting'),
    ('empty model path', ['recommend', '--history', '耳机', '--model', ' '], 2, '--model was given an empty path.'),
    ('missing model', ['recommend', '--history', '耳机', '--model', '{missing}'], 3, 'nope.csv: no such folder'),
    ('not a model', ['similar', 'phone-03', '--model', '{dir}'], 3, 'model.json: not found, so'),
    ('empty save path', ['fit', '--save', ''], 2, '--save was given an empty path.'),
    ('fit without save', ['fit'], 2, 'the following arguments are required: --save'),
    ('fit bad catalog', ['fit', '--save', '{dir}/new', '--items', '{missing}'], 3, 'catalog file'),
    ('fit no --model', ['fit', '--save', '{dir}/new', '--model', '{model}'], 2, 'unrecognized arguments: --model'),
]


@pytest.mark.parametrize('args, code, text', [pytest.param(a, c, t, id=i) for i, a, c, t in MODEL_ERRORS])
def test_model_errors(saved_model, files, capsys, args, code, text):
    p = in_process(capsys, *[str(a).format(model=saved_model, **files) for a in args])
    assert p.returncode == code and p.stdout == ''
    assert len(stderr_lines(p)) == 1 and stderr_lines(p)[0].startswith(ERROR_LINE) and text in stderr_lines(p)[0], p.stderr


def test_damaged_model_is_a_data_error(saved_model, tmp_path, capsys):
    import shutil
    broken = Path(shutil.copytree(saved_model, tmp_path/'broken'))
    f = broken/'item_matrix_.data.npy'
    f.write_bytes(f.read_bytes()[:-1] + bytes([f.read_bytes()[-1] ^ 1]))
    p = in_process(capsys, 'recommend', '--history', '耳机', '--model', broken)
    assert p.returncode == 3 and stderr_lines(p) == [f'llmrec: error: {f}: its contents do not match the checksum in model.json; '
                                                     'the saved model was changed or damaged after saving. Save the model again.']


# ---- similar ----

def test_similar_items(capsys):
    recs = records(in_process(capsys, 'similar', 'headphones-02', '-k', 5, '--diversity', 0, '--format', 'json'))
    assert len(recs) == 5 and 'headphones-02' not in [r['item_id'] for r in recs]
    assert sum(r['subcategory'] == '耳机' for r in recs) >= 4
    scores = [r['score'] for r in recs]
    assert scores == sorted(scores, reverse=True)
    assert all(r['because'][0][0] == 'headphones-02' for r in recs)
    varied = records(in_process(capsys, 'similar', 'headphones-02', '-k', 5, '--diversity', 0.9, '--format', 'json'))
    assert [r['item_id'] for r in varied] != [r['item_id'] for r in recs]


def test_similar_table_and_help():
    p = llmrec_cmd('similar', 'laptop-01', '-k', 3)
    assert p.returncode == 0 and p.stderr == ''
    assert p.stdout.splitlines()[2].startswith('1 ') and '与「' in p.stdout
    h = llmrec_cmd('similar', '--help')
    for opt in ('ITEM_ID', '-k', '--diversity', '--model', '--items', '--format'): assert opt in h.stdout


def test_similar_unknown_item(capsys):
    p = in_process(capsys, 'similar', 'phone-99')
    assert p.returncode == 4 and stderr_lines(p) == [
        "llmrec: error: Unknown item_id 'phone-99': not among the 337 fitted items (e.g. ['laptop-01', 'laptop-02', "
        "'laptop-03'])."]


# ---- popularity fallback ----

def test_fallback_popular_on_the_bundled_catalog(capsys):
    by_sales = load_catalog().sort_values('sales', ascending=False, kind='stable').item_id.tolist()
    p = in_process(capsys, 'recommend', '--history', '火星探测器', '--fallback', 'popular', '-k', 4, '--format', 'json')
    assert stderr_lines(p) == ['llmrec: nothing matches this history; showing the most popular items.']
    recs = records(p)
    assert [r['item_id'] for r in recs] == by_sales[:4] and recs[0]['score'] == 1.0
    assert all(r['explanation'] == '热门推荐' and r['because'] == [] for r in recs)
    empty = in_process(capsys, 'recommend', '--fallback', 'popular', '-k', 4, '--format', 'json')   # no history at all
    assert records(empty) == recs
    assert stderr_lines(empty) == ['llmrec: no history given; showing the most popular items.']
    matched = records(in_process(capsys, 'recommend', '--history', '降噪耳机', '--fallback', 'popular', '-k', 3, '--format', 'json'))
    assert all(r['subcategory'] == '耳机' for r in matched)          # a history that matches ignores the fallback


def test_fallback_needs_popularity(files, capsys, tmp_path):
    p = in_process(capsys, *case_args(['recommend', '--history', '火星', '--items', '{ok}', '--fallback', 'popular'], files))
    assert p.returncode == 2 and stderr_lines(p) == [
        "llmrec: error: fallback='popular' needs item popularity: fit with --popularity-col <a numeric column>, e.g. 'sales'."]
    (tmp_path/'pop.csv').write_text('item_id,text,sold\na,蓝牙耳机,5\nb,降噪耳机,50\nc,智能手机,\n', encoding='utf-8')
    args = ['recommend', '--history', '火星', '--items', tmp_path/'pop.csv', '--fallback', 'popular', '--format', 'json']
    recs = records(in_process(capsys, *args, '--popularity-col', 'sold'))
    assert [r['item_id'] for r in recs] == ['b', 'a']              # a missing count is 0: not popular at all
    p = in_process(capsys, *args, '--popularity-col', 'price')
    assert p.returncode == 3 and "missing column(s) ['price']" in stderr_lines(p)[0]
    p = in_process(capsys, *args, '--popularity-col', 'text')
    assert p.returncode == 3 and '`popularity_col` ' in stderr_lines(p)[0]


# ---- evaluate is delegated ----

def test_evaluate_is_delegated(monkeypatch, capsys):
    import types
    got = []
    fake = types.ModuleType('llmrec.evaluate')
    fake.cli = lambda argv: got.append(argv) or 7
    monkeypatch.setitem(sys.modules, 'llmrec.evaluate', fake)
    p = in_process(capsys, 'evaluate', '--models', 'popular', '-k', 10, '--help')
    assert p.returncode == 7 and got == [['--models', 'popular', '-k', '10', '--help']]


def test_evaluate_missing_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, 'llmrec.evaluate', None)
    p = in_process(capsys, 'evaluate', '--help')
    assert p.returncode == 1 and p.stdout == ''
    assert stderr_lines(p) == ['llmrec: error: `llmrec evaluate` is not available: this installation has no llmrec.evaluate.']


def test_help_lists_every_command():
    p = llmrec_cmd('--help')
    for cmd in ('recommend', 'similar', 'fit', 'evaluate'): assert cmd in p.stdout
    p = llmrec_cmd('fit', '--help')
    assert p.returncode == 0 and '--save' in p.stdout and '--features' in p.stdout and '--popularity-col' in p.stdout
    p = llmrec_cmd('recommend', '--help')
    for opt in ('--model', '--fallback', '--popularity-col', '--diversity'): assert opt in p.stdout


def test_mixed_interests_from_the_shell():
    "The issue's acceptance line: a laptop-and-headphones history gets both kinds of items"
    recs = records(llmrec_cmd('recommend', '--history', '笔记本电脑,耳机', '-k', 10, '--format', 'json'))
    subs = [r['subcategory'] for r in recs]
    assert len(recs) == 10 and subs.count('耳机') >= 1 and subs.count('笔记本电脑') >= 1, subs


# ---- real data ----

@pytest.mark.slow
def test_kuairec_dataset(shared_data):
    videos = load_kuairec(shared_data/'kuairec')
    pets = videos[(videos.category == '宠物') & videos.text.str.contains('萌宠', na=False)]
    history = pets.item_id.head(2).tolist()   # the first two captioned pet videos tagged #萌宠
    assert len(history) == 2
    p = llmrec_cmd('recommend', '--dataset', 'kuairec', shared_data/'kuairec', '--history', ','.join(map(str, history)),
                   '-k', 10, '--format', 'json')
    assert p.returncode == 0, p.stderr
    assert all(l.startswith('llmrec: warning: ') for l in stderr_lines(p))
    assert any('items have no text' in l for l in stderr_lines(p))
    recs = json.loads(p.stdout)
    assert len(recs) == 10 and not set(history) & {r['item_id'] for r in recs}
    cats = [r['category'] for r in recs]
    assert cats.count('宠物') >= 6, cats


@pytest.mark.slow
def test_thucnews_dataset(shared_data):
    p = llmrec_cmd('recommend', '--dataset', 'thucnews', shared_data/'thucnews_titles', '--history', '大盘 股票 涨停',
                   '--format', 'json')
    assert p.returncode == 0, p.stderr
    recs = json.loads(p.stdout)
    assert len(recs) >= 1 and list(recs[0]) == ['item_id', 'text', 'category', 'score', 'rank', 'explanation', 'because', 'terms']
    cats = [r['category'] for r in recs]
    assert sum(c in ('stocks', 'finance') for c in cats) > len(cats) / 2, cats


# ---- output that a terminal or pipe cannot take as is ----

@pytest.mark.parametrize('fmt', ['json', 'csv', 'table'])
def test_lone_surrogates_are_escaped_in_every_format(capsys, tmp_path, fmt):
    (tmp_path/'odd.jsonl').write_text('{"item_id": "a", "text": "蓝牙耳机 \\ud800坏"}\n{"item_id": "b", "text": "智能手机"}\n', encoding='utf-8')
    p = in_process(capsys, 'recommend', '--items', tmp_path/'odd.jsonl', '--history', '耳机', '--format', fmt)
    assert p.returncode == 0, p.stderr
    assert '\\ud800' in (json.loads(p.stdout)[0]['text'] if fmt == 'json' else p.stdout)


def test_closed_standard_output():
    got = subprocess.run(['bash', '-c', f'"{LLMREC}" recommend --history 耳机 >&-'], capture_output=False,
                         stderr=subprocess.PIPE, text=True, timeout=120)
    assert got.returncode == 1 and got.stderr.strip().splitlines() == ['llmrec: error: standard output is closed.']


def test_fit_refuses_a_foreign_folder_before_fitting(capsys, tmp_path):
    (tmp_path/'model.json').write_text('{"name": "someone else"}', encoding='utf-8')
    (tmp_path/'code.py').write_text('print(1)', encoding='utf-8')
    p = in_process(capsys, 'fit', '--save', tmp_path)
    assert p.returncode == 1 and len(stderr_lines(p)) == 1 and 'not an llmrec model description' in p.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ['code.py', 'model.json']
