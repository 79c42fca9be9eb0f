"""Execute notebooks in place so their saved outputs (shown in the README and docs) are current, then clean them.

    python3 run.py execute                    # every notebook under nbs/
    python3 run.py execute nbs/02_clean.ipynb # just these
"""
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def execute(nb: Path) -> int:
    cmd = [sys.executable, '-m', 'jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--inplace',
           '--ExecutePreprocessor.timeout=1200', '--ExecutePreprocessor.kernel_name=python3', nb.name]
    res = subprocess.run(cmd, cwd=nb.parent, capture_output=True, text=True)
    print(f"{'ok  ' if res.returncode == 0 else 'FAIL'} {nb.relative_to(ROOT)}", file=sys.stderr)
    if res.returncode: print(res.stderr[-4000:], file=sys.stderr)
    return res.returncode


if __name__ == '__main__':
    nbs = [Path(p).resolve() for p in sys.argv[1:]] or sorted(p for p in (ROOT/'nbs').rglob('*.ipynb')
                                                             if '.ipynb_checkpoints' not in p.parts)
    with ThreadPoolExecutor(2) as ex: codes = list(ex.map(execute, nbs))
    subprocess.run([Path(sys.executable).parent/'nbdev_clean'], cwd=ROOT, check=True)
    sys.exit(max(codes, default=0))
