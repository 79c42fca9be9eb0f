#!/usr/bin/env python3
"""One entry point for llmrec on a machine that has only Python.

    python3 run.py llmrec recommend --history "笔记本电脑,智能手机,耳机" -k 10  # the main job
    python3 run.py test                                                        # every test and notebook
    python3 run.py check        # notebooks, library and README are in sync (as CI checks)
    python3 run.py execute      # re-run the notebooks in place, refreshing their saved outputs
    python3 run.py readme       # write README.md from nbs/index.ipynb

The first call creates `.venv/` next to this file and installs llmrec with its development
dependencies into it; later calls reuse it, and reinstall only when `settings.ini` or `setup.py` change.
Only the standard library is used here.
"""
import hashlib, os, subprocess, sys, venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get('LLMREC_VENV', ROOT/'.venv'))
BIN = VENV/('Scripts' if os.name == 'nt' else 'bin')
PY = BIN/('python.exe' if os.name == 'nt' else 'python')
STAMP = VENV/'.llmrec-install'


def say(msg): print(f'run.py: {msg}', file=sys.stderr, flush=True)


def install_key():
    "What the installed environment depends on: a change here triggers a reinstall."
    h = hashlib.sha256()
    for name in ('settings.ini', 'setup.py'): h.update((ROOT/name).read_bytes())
    return h.hexdigest()


def ensure_env():
    "Create the virtual environment and install llmrec[dev] into it, unless that is already done."
    key = install_key()
    if STAMP.exists() and STAMP.read_text() == key and PY.exists(): return
    if not PY.exists():
        say(f'creating {VENV} (first run: installing dependencies takes 1-3 minutes)')
        venv.create(VENV, with_pip=True)
    else: say('settings.ini or setup.py changed: reinstalling')
    pip = [str(PY), '-m', 'pip', 'install', '--disable-pip-version-check', '-q']
    quiet = {**os.environ, 'PYTHONWARNINGS': 'ignore'}          # setuptools' editable-install banner
    subprocess.run(pip + ['--upgrade', 'pip', 'setuptools>=70', 'wheel'], check=True, env=quiet)
    subprocess.run(pip + ['-e', f'{ROOT}[dev]'], check=True, cwd=ROOT, env=quiet)
    STAMP.write_text(key)


def run(*cmd, **kw):
    "Run a command from the environment's bin folder; return its exit code."
    exe = BIN/cmd[0]
    return subprocess.run([str(exe if exe.exists() else cmd[0]), *cmd[1:]], cwd=kw.get('cwd', ROOT)).returncode


SYNCED = ('nbs', 'llmrec', 'README.md', 'pyproject.toml')


def snapshot():
    "Content hash of every file that exporting, cleaning or README generation may write."
    files = []
    for name in SYNCED:
        p = ROOT/name
        files += [p] if p.is_file() else [f for f in p.rglob('*') if f.is_file() and '__pycache__' not in f.parts
                                          and '.ipynb_checkpoints' not in f.parts and 'resources' not in f.parts]
    return {str(f.relative_to(ROOT)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def check():
    "Fail if exporting, cleaning or README generation changes any file (what CI checks): they must be in sync."
    before = snapshot()
    for cmd in (['nbdev_export'], ['nbdev_clean'], ['python', 'tools/make_readme.py']):
        if run(*cmd): return 1
    after = snapshot()
    changed = sorted(f for f in before.keys() | after.keys() if before.get(f) != after.get(f))
    if changed:
        say('notebooks, library and README were out of sync; these files were just rewritten (review and commit '
            'them): ' + ', '.join(changed))
        return 1
    say('notebooks, library and README are in sync')
    return 0


def main(argv):
    if not argv or argv[0] in ('-h', '--help', 'help'):
        print(__doc__.strip()); return 0
    cmd, rest = argv[0], argv[1:]
    commands = {
        'llmrec': lambda: run('llmrec', *rest, cwd=Path.cwd()),
        'test': lambda: run('python', '-m', 'pytest', *(rest or ['tests'])),
        'check': check,
        'execute': lambda: run('python', 'tools/execute_nbs.py', *rest),
        'readme': lambda: run('python', 'tools/make_readme.py'),
        'python': lambda: run('python', *rest, cwd=Path.cwd()),
    }
    if cmd not in commands:
        say(f"unknown command {cmd!r}; choose one of {', '.join(commands)} (see `python3 run.py --help`)")
        return 2
    ensure_env()
    return commands[cmd]()


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
