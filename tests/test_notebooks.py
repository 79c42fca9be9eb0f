"Every notebook under nbs/ runs top to bottom, with nbdev's test flags honoured (cells flagged `notest` are skipped)."
from pathlib import Path
import pytest
from nbdev import test as nbdev_test_module  # the module, so pytest does not collect `test_nb` itself
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT/'nbs').rglob('*.ipynb')
                   if '.ipynb_checkpoints' not in p.parts and not p.name.startswith('_'))


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=[str(p.relative_to(ROOT/'nbs')) for p in NOTEBOOKS])
def test_notebook_runs(nb, capsys):
    flags = get_config(path=ROOT).get('tst_flags', '').split()
    ok, _ = nbdev_test_module.test_nb(nb, skip_flags=flags, showerr=True)
    assert ok, f'{nb.name} failed; the traceback is in the captured stderr above'


def test_notebooks_found():
    assert len(NOTEBOOKS) >= 2, f'expected the project notebooks under nbs/, found {NOTEBOOKS}'
