"Every `features` choice of ContentRecommender works end to end: API and command line, bundled and real catalogs."
import json, subprocess, sys, warnings
from pathlib import Path
import numpy as np, pandas as pd, pytest
from llmrec.data import CATALOG_TEXT_COLS, load_catalog, load_dataset
from llmrec.recommend import FEATURES, ContentRecommender

LLMREC = Path(sys.executable).parent/'llmrec'


@pytest.fixture(scope='module')
def catalog(): return load_catalog()


@pytest.mark.parametrize('features', FEATURES)
def test_every_choice_on_bundled_catalog(catalog, features):
    model = ContentRecommender(features=features).fit(catalog, text_cols=CATALOG_TEXT_COLS)
    recs = model.recommend(['降噪耳机'], k=5, diversity=0)
    assert len(recs) == 5 and np.isfinite(recs.score).all() and (recs.score > 0).all()
    assert recs.score.is_monotonic_decreasing
    assert (recs.subcategory == '耳机').sum() >= 3, recs[['item_id', 'subcategory']]
    assert recs.explanation.str.startswith('与您浏览的「降噪耳机」').all()
    # items named by id are excluded and explained by their own text
    by_id = model.recommend(['phone-03'], k=5)
    assert 'phone-03' not in set(by_id.item_id) and (by_id.subcategory == '智能手机').sum() >= 2


@pytest.mark.parametrize('features', FEATURES)
def test_every_choice_from_command_line(features):
    p = subprocess.run([str(LLMREC), 'recommend', '--history', '笔记本电脑,耳机', '-k', '4', '--features', features,
                        '--format', 'json'], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    recs = json.loads(p.stdout)
    assert len(recs) == 4 and all(r['explanation'].startswith('与您浏览的') for r in recs)


@pytest.fixture(scope='module')
def real_catalogs(shared_data):
    return load_dataset('thucnews', shared_data/'thucnews_titles'), load_dataset('kuairec', shared_data/'kuairec')


@pytest.mark.slow
@pytest.mark.parametrize('features', FEATURES)
def test_every_choice_on_real_catalogs(real_catalogs, features):
    "Each choice fits the full THUCNews and KuaiRec catalogs, and a topical query stays mostly on topic."
    (news, news_cols), (videos, video_cols) = real_catalogs
    model = ContentRecommender(features=features).fit(news, text_cols=news_cols)
    recs = model.recommend(['足球 比赛 进球 球队'], k=10)
    assert len(recs) == 10 and np.isfinite(recs.score).all()
    assert (recs.category == 'sports').mean() >= 0.5, recs[['text', 'category']]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')             # videos without any text are counted in a warning
        model = ContentRecommender(features=features).fit(videos, text_cols=video_cols)
    recs = model.recommend(['宠物 狗狗 萌宠'], k=10)
    assert len(recs) == 10 and (recs.category == '宠物').mean() >= 0.5, recs[['text', 'category']]
