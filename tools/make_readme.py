"""Write README.md from nbs/index.ipynb (nbdev's own README command needs Quarto, which is not available here).

Markdown cells are copied; code cells become ```python blocks followed by their saved text output;
cells marked `#| hide` are left out and `#|` directive lines are dropped.
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def directives(src):
    return [l for l in src.splitlines() if l.startswith('#|')]


def output_text(out):
    "The plain-text form of one saved output, or None for outputs with no text (images, widgets)."
    if out.get('output_type') == 'stream': return ''.join(out['text'])
    data = out.get('data', {})
    if 'text/markdown' in data: return None
    if 'text/plain' in data: return ''.join(data['text/plain'])
    return None


def cell_markdown(cell):
    src = ''.join(cell['source'])
    if any(re.match(r'#\|\s*hide\b', d) for d in directives(src)): return ''
    if cell['cell_type'] == 'markdown': return src.strip() + '\n'
    if cell['cell_type'] != 'code': return ''
    code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
    if not code: return ''
    md = f'```python\n{code}\n```\n'
    for out in cell.get('outputs', []):
        data = out.get('data', {})
        if 'text/markdown' in data: md += '\n' + ''.join(data['text/markdown']).strip() + '\n'
        elif (txt := output_text(out)) and txt.strip(): md += f'\n```text\n{txt.rstrip()}\n```\n'
    return md


_RE_NB_LINK = re.compile(r'\]\((?!https?://|/|#)([^)\s]+\.ipynb)\)')

def make_readme(nb_path=ROOT/'nbs'/'index.ipynb', out_path=ROOT/'README.md'):
    nb = json.loads(Path(nb_path).read_text(encoding='utf-8'))
    parts = [m for c in nb['cells'] if (m := cell_markdown(c))]
    prefix = Path(nb_path).parent.relative_to(ROOT).as_posix()         # links are relative to the notebook
    parts = [_RE_NB_LINK.sub(lambda m: f']({prefix}/{m.group(1)})', p) for p in parts]
    text = '<!-- Generated from nbs/index.ipynb by `python3 run.py readme`: edit the notebook, not this file. -->\n\n'
    text += '\n'.join(parts)
    Path(out_path).write_text(text, encoding='utf-8')
    return out_path


if __name__ == '__main__':
    print(f'wrote {make_readme().relative_to(ROOT)}', file=sys.stderr)
