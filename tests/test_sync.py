"The exported library is exactly what the notebooks export (nobody edited llmrec/*.py by hand)."
import filecmp, os, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_library_matches_fresh_export(tmp_path):
    for name in ('settings.ini', 'setup.py', 'pyproject.toml'):
        if (ROOT/name).exists(): shutil.copy(ROOT/name, tmp_path/name)
    shutil.copytree(ROOT/'nbs', tmp_path/'nbs', ignore=shutil.ignore_patterns('.ipynb_checkpoints'))
    exporter = Path(sys.executable).parent/'nbdev_export'
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}  # nbdev_export does nothing under IN_TEST
    subprocess.run([str(exporter)], cwd=tmp_path, check=True, capture_output=True, env=env)
    fresh, committed = tmp_path/'llmrec', ROOT/'llmrec'
    fresh_files = sorted(p.name for p in fresh.glob('*.py'))
    assert fresh_files == sorted(p.name for p in committed.glob('*.py')), 'module files differ from a fresh export'
    _, mismatch, errors = filecmp.cmpfiles(fresh, committed, fresh_files, shallow=False)
    assert not mismatch and not errors, f'{mismatch + errors} differ from a fresh `nbdev_export`; run `python3 run.py check`'
