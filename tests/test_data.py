"Edge cases of `llmrec.data`: file formats, encodings, ids, the KuaiRec line-break repair, and the real datasets (slow)."
import codecs, csv, functools
import numpy as np
import pandas as pd
import pytest
from llmrec.core import sample_items
from llmrec.data import (CATALOG_TEXT_COLS, KUAIREC_TEXT_COLS, MOVIELENS_TEXT_COLS, THUCNEWS_TEXT_COLS, load_catalog,
                         load_dataset, load_kuairec, load_movielens, load_thucnews, read_items, shared_data_dir)

KUAIREC_HEADER = ('video_id,manual_cover_text,caption,topic_tag,first_level_category_id,first_level_category_name,'
                  'second_level_category_id,second_level_category_name,third_level_category_id,third_level_category_name')
KUAIREC_ROW0 = '0,UNKNOWN,精神小伙路难走,[],8,颜值,673,颜值随拍,-124,UNKNOWN'
KUAIREC_ROW2 = '2,封面字,,[],-124,UNKNOWN,-124,UNKNOWN,-124,UNKNOWN'


def write(path, text, encoding='utf-8'):
    path.write_bytes(text.encode(encoding))
    return path


def write_items(df, path):
    "Write `df` in the format `path`'s extension names"
    if path.suffix in ('.jsonl', '.ndjson'): df.to_json(path, orient='records', lines=True, force_ascii=False)
    else: df.to_csv(path, index=False, sep='\t' if path.suffix == '.tsv' else ',')
    return path


# ---- read_items: formats ----

@pytest.mark.parametrize('name', ['items.csv', 'items.tsv', 'items.jsonl', 'items.ndjson', 'ITEMS.CSV'])
def test_round_trip(tmp_path, name):
    items = sample_items()
    got = read_items(write_items(items, tmp_path/name))
    assert got.columns.tolist() == items.columns.tolist()
    assert got.values.tolist() == items.values.tolist()


def test_tab_separated_csv_with_sep(tmp_path):
    items = sample_items()
    path = tmp_path/'items.csv'
    items.to_csv(path, index=False, sep='\t')
    assert read_items(path, sep='\t').values.tolist() == items.values.tolist()
    with pytest.raises(ValueError, match=r"missing column\(s\) \['item_id'\]"): read_items(path)  # read as commas: one column


def test_unknown_extension_with_sep_is_read(tmp_path):
    path = write(tmp_path/'items.txt', 'item_id|text\n1|耳机\n')
    assert read_items(path, sep='|').values.tolist() == [[1, '耳机']]


@pytest.mark.parametrize('name', ['items.xlsx', 'items.json', 'items.txt', 'items.csv.gz', 'items'])
def test_unsupported_extension(tmp_path, name):
    path = write(tmp_path/name, 'item_id,text\n1,耳机\n')
    with pytest.raises(ValueError) as e: read_items(path)
    msg = str(e.value)
    assert 'Cannot tell the format of' in msg and name in msg
    for ext in ('.csv', '.tsv', '.jsonl', '.ndjson'): assert ext in msg


def test_sep_with_jsonl_is_an_error(tmp_path):
    path = write(tmp_path/'items.jsonl', '{"item_id": 1, "text": "x"}\n')
    with pytest.raises(ValueError, match="sep=',' does not apply"): read_items(path, sep=',')


@pytest.mark.parametrize('text, line', [('{"item_id": 1, "text": "x"}\n{"item_id": 2,\n', 2),
                                        ('[1, 2]\n', 1), ('{"item_id": 1, "text": "x"}\n\n"just a string"\n', 3)])
def test_bad_json_lines(tmp_path, text, line):
    with pytest.raises(ValueError, match=f'items.jsonl line {line} is not a JSON object'):
        read_items(write(tmp_path/'items.jsonl', text))


def test_crlf_line_endings(tmp_path):
    got = read_items(write(tmp_path/'items.csv', 'item_id,text\r\na,耳机\r\nb,手机\r\n'))
    assert got.values.tolist() == [['a', '耳机'], ['b', '手机']]


def test_missing_file_names_path(tmp_path):
    with pytest.raises(FileNotFoundError, match=r'nope\.csv: no such file; expected a catalog file'):
        read_items(tmp_path/'nope.csv')
    with pytest.raises(FileNotFoundError, match='is a folder, not a catalog file'): read_items(tmp_path)


@pytest.mark.parametrize('text', ['', 'item_id,text\n'])
def test_no_items_is_an_error(tmp_path, text):
    with pytest.raises(ValueError, match='holds no items'): read_items(write(tmp_path/'items.csv', text))


# ---- read_items: encodings ----

@pytest.mark.parametrize('name', ['items.csv', 'items.tsv', 'items.jsonl'])
def test_utf8_bom_is_dropped(tmp_path, name):
    items = sample_items()
    path = write_items(items, tmp_path/name)
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    got = read_items(path)
    assert got.columns.tolist() == ['item_id', 'text', 'category']
    assert got.values.tolist() == items.values.tolist()


GBK_TEXT = 'item_id,text\nphone,智能手机\nlaptop,笔记本电脑\n'


@pytest.mark.parametrize('encoding', ['gbk', 'gb18030'])
def test_gbk_file_without_encoding_says_how_to_read_it(tmp_path, encoding):
    path = write(tmp_path/'gbk.csv', GBK_TEXT, encoding)
    offset = GBK_TEXT.index('智')
    with pytest.raises(ValueError) as e: read_items(path)
    msg = str(e.value)
    assert 'gbk.csv is not valid UTF-8' in msg
    assert f'byte 0x{path.read_bytes()[offset]:02x} at offset {offset}' in msg
    assert "it decodes as GBK/GB18030 — pass encoding='gbk'." in msg


@pytest.mark.parametrize('encoding', ['gbk', 'GBK', 'gb18030', 'cp936'])
def test_gbk_file_with_encoding(tmp_path, encoding):
    got = read_items(write(tmp_path/'gbk.csv', GBK_TEXT, 'gbk'), encoding=encoding)
    assert got.text.tolist() == ['智能手机', '笔记本电脑']


def test_bom_offset_counts_the_bom(tmp_path):
    path = tmp_path/'x.csv'
    path.write_bytes(codecs.BOM_UTF8 + b'item_id,text\n1,\xff\n')
    with pytest.raises(ValueError, match=r'byte 0xff at offset 18\)'): read_items(path)


def test_undecodable_bytes_that_are_not_gbk(tmp_path):
    path = tmp_path/'x.csv'
    path.write_bytes(b'item_id,text\n1,\xff\xff\n')
    with pytest.raises(ValueError, match="not valid UTF-8 .*pass encoding= with the file's actual encoding") as e:
        read_items(path)
    assert 'GBK' not in str(e.value)


def test_wrong_explicit_encoding(tmp_path):
    path = write(tmp_path/'x.csv', 'item_id,text\n1,耳机\n')
    with pytest.raises(ValueError, match="does not decode as 'ascii'"): read_items(path, encoding='ascii')


def test_explicit_utf8_still_drops_bom(tmp_path):
    path = tmp_path/'x.csv'
    path.write_bytes(codecs.BOM_UTF8 + 'item_id,text\n1,耳机\n'.encode())
    assert read_items(path, encoding='UTF-8').columns.tolist() == ['item_id', 'text']


# ---- read_items: columns and ids ----

def test_missing_id_column_lists_present_columns(tmp_path):
    path = write(tmp_path/'items.csv', 'video_id,caption\n1,x\n')
    with pytest.raises(ValueError) as e: read_items(path, text_cols='caption')
    msg = str(e.value)
    assert "is missing column(s) ['item_id']; it has ['video_id', 'caption']." in msg
    assert "Pass id_col='video_id'" in msg


@pytest.mark.parametrize('text_cols, missing', [('title', ['title']), (['text', 'brand'], ['brand']),
                                                (('title', 'brand'), ['title', 'brand'])])
def test_missing_text_columns(tmp_path, text_cols, missing):
    path = write(tmp_path/'items.csv', 'item_id,text,price\n1,耳机,99\n')
    with pytest.raises(ValueError) as e: read_items(path, text_cols=text_cols)
    msg = str(e.value)
    assert f'is missing column(s) {missing}' in msg and "Pass text_cols=['text']" in msg


@pytest.mark.parametrize('text_cols', [[], None, 3, ['title', 3]])
def test_bad_text_cols(tmp_path, text_cols):
    path = write(tmp_path/'items.csv', 'item_id,text\n1,耳机\n')
    with pytest.raises(ValueError, match='`text_cols` must be a column name or a non-empty list'):
        read_items(path, text_cols=text_cols)


@pytest.mark.parametrize('name', ['items.csv', 'items.tsv', 'items.jsonl'])
def test_duplicate_ids(tmp_path, name):
    df = pd.DataFrame({'item_id': ['a', 'b', 'a', 'c', 'd', 'c', 'c', 'e', 'e', 'f', 'f'], 'text': list('xxxxxxxxxxx')})
    with pytest.raises(ValueError) as e: read_items(write_items(df, tmp_path/name))
    msg = str(e.value)
    assert '4 duplicated item_id value(s) over 9 rows' in msg
    assert "e.g. ['a', 'c', 'e', ...] (4 in all)" in msg


def test_duplicate_int_ids(tmp_path):
    with pytest.raises(ValueError, match=r"1 duplicated sku value\(s\) over 2 rows, e.g. \[7\]"):
        read_items(write(tmp_path/'items.csv', 'sku,text\n7,a\n8,b\n7,c\n'), id_col='sku')


@pytest.mark.parametrize('name', ['items.csv', 'items.jsonl'])
def test_missing_ids(tmp_path, name):
    df = pd.DataFrame({'item_id': ['a', None, 'c', None], 'text': ['x', 'y', 'z', 'w']})
    with pytest.raises(ValueError, match=r'2 row\(s\) with no item_id, at rows \[1, 3\]'):
        read_items(write_items(df, tmp_path/name))


@pytest.mark.parametrize('name', ['items.csv', 'items.tsv', 'items.jsonl'])
def test_missing_text_is_kept(tmp_path, name):
    df = pd.DataFrame({'item_id': ['a', 'b', 'c', 'd'], 'text': ['耳机', None, '', '  ']})
    got = read_items(write_items(df, tmp_path/name))
    assert len(got) == 4 and got.item_id.tolist() == ['a', 'b', 'c', 'd']
    assert got.text[0] == '耳机' and pd.isna(got.text[1]) and got.text[3] == '  '
    assert pd.isna(got.text[2]) or got.text[2] == ''  # CSV cannot tell '' from missing; JSON can


@pytest.mark.parametrize('name', ['items.csv', 'items.tsv', 'items.jsonl', 'items.ndjson'])
def test_int_ids_stay_int(tmp_path, name):
    df = pd.DataFrame({'item_id': [10, 2, -3], 'text': ['a', 'b', 'c']})
    got = read_items(write_items(df, tmp_path/name))
    assert got.item_id.tolist() == [10, 2, -3]
    assert pd.api.types.is_integer_dtype(got.item_id)


@pytest.mark.parametrize('ids', [['007', '1'], ['1', '1.5'], ['1', 'a'], ['+1', '2'], ['1e3', '2']])
def test_ids_that_are_not_plain_ints_stay_strings(tmp_path, ids):
    path = write(tmp_path/'items.csv', 'item_id,text\n' + ''.join(f'{i},x\n' for i in ids))
    got = read_items(path)
    assert got.item_id.tolist() == ids


@pytest.mark.parametrize('word', ['NA', 'None', 'null', 'NaN', 'n/a'])
def test_words_like_na_are_text(tmp_path, word):
    got = read_items(write(tmp_path/'items.csv', f'item_id,text\n{word},{word}\n'))
    assert got.values.tolist() == [[word, word]]


def test_json_ids_keep_json_types(tmp_path):
    path = write(tmp_path/'items.jsonl', '{"item_id": "1", "text": "a"}\n{"item_id": "2", "text": "b"}\n')
    assert read_items(path).item_id.tolist() == ['1', '2']


def test_other_columns_kept_in_order(tmp_path):
    got = read_items(write(tmp_path/'items.csv', 'price,item_id,text,sales\n9.5,a,耳机,3\n'))
    assert got.columns.tolist() == ['price', 'item_id', 'text', 'sales']
    assert got.price.tolist() == [9.5] and got.sales.tolist() == [3]


# ---- the bundled catalog ----

def test_load_catalog():
    cat = load_catalog()
    assert cat.columns.tolist() == ['item_id', 'title', 'brand', 'category', 'subcategory', 'description', 'price', 'sales']
    assert len(cat) >= 320 and cat.item_id.is_unique
    assert CATALOG_TEXT_COLS == ['title', 'brand', 'category', 'subcategory', 'description']
    assert cat.title.map(lambda t: isinstance(t, str) and t.strip() != '').mean() > 0.9


# ---- shared_data_dir ----

def test_shared_data_dir_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv('LLMREC_DATA_DIR', str(tmp_path))
    assert shared_data_dir() == tmp_path


@pytest.mark.parametrize('kind', ['missing', 'file'])
def test_shared_data_dir_env_not_a_folder(tmp_path, monkeypatch, kind):
    target = tmp_path/'data'
    if kind == 'file': target.write_text('x')
    monkeypatch.setenv('LLMREC_DATA_DIR', str(target))
    with pytest.raises(FileNotFoundError, match='is not a folder'): shared_data_dir()


def test_shared_data_dir_searches_parents(tmp_path, monkeypatch):
    (tmp_path/'shared'/'data').mkdir(parents=True)
    (tmp_path/'a'/'b').mkdir(parents=True)
    monkeypatch.delenv('LLMREC_DATA_DIR', raising=False)
    monkeypatch.chdir(tmp_path/'a'/'b')
    assert shared_data_dir() == tmp_path/'shared'/'data'
    monkeypatch.chdir(tmp_path)
    assert shared_data_dir() == tmp_path/'shared'/'data'  # the current directory counts too


def test_shared_data_dir_none(tmp_path, monkeypatch):
    monkeypatch.setenv('LLMREC_DATA_DIR', '')
    monkeypatch.chdir(tmp_path)
    if any((p/'shared'/'data').is_dir() for p in tmp_path.parents): pytest.skip('a shared/data folder is above the temp dir')
    assert shared_data_dir() is None


# ---- KuaiRec ----

def kuairec_file(tmp_path, caption_lines, newline='\n', cover='宋威龙井柏然的关系'):
    "A 3-video KuaiRec file whose video 1 has a caption of `caption_lines` joined by raw `newline`s"
    row1 = f'1,{cover},{newline.join(caption_lines)},"[井柏然,宋威龙]",6,明星娱乐,667,娱乐八卦,2377,明星八卦'
    (tmp_path/'kuairec').mkdir(exist_ok=True)
    path = tmp_path/'kuairec'/'kuairec_caption_category.csv'
    path.write_bytes('\n'.join([KUAIREC_HEADER, KUAIREC_ROW0, row1, KUAIREC_ROW2, '']).encode())
    return path


@pytest.mark.parametrize('lines, newline, caption', [
    (['一行字幕'], '\n', '一行字幕'),
    (['第一行', '第二行'], '\n', '第一行 第二行'),
    (['第一行', '第二行'], '\r', '第一行 第二行'),
    (['第一行', '第二行'], '\r\n', '第一行 第二行'),
    (['第一行', '第二行', '第三行'], '\n', '第一行 第二行 第三行'),
    (['第一行', '第二行', '第三行'], '\r', '第一行 第二行 第三行'),
    (['第一行', '', '第三行'], '\n', '第一行  第三行'),
    (['', '第二行'], '\n', ' 第二行'),
])
def test_kuairec_split_records_are_rejoined(tmp_path, lines, newline, caption):
    videos = load_kuairec(kuairec_file(tmp_path, lines, newline).parent)
    assert videos.item_id.tolist() == [0, 1, 2]
    assert videos.text[1] == caption
    assert videos.loc[1, ['cover_text', 'topic_tag', 'category', 'category_l2', 'category_l3']].tolist() == \
        ['宋威龙井柏然的关系', '[井柏然,宋威龙]', '明星娱乐', '娱乐八卦', '明星八卦']
    assert videos.text[0] == '精神小伙路难走' and pd.isna(videos.category_l2[2])  # NaN for UNKNOWN


def test_kuairec_quoted_newline_is_kept(tmp_path):
    path = kuairec_file(tmp_path, ['"第一行', '第二行"'])
    assert load_kuairec(path).text[1] == '第一行\n第二行'


def test_kuairec_columns_and_missing_values(tmp_path):
    videos = load_kuairec(kuairec_file(tmp_path, ['字幕']))
    assert videos.columns.tolist() == ['item_id', 'text', 'cover_text', 'topic_tag', 'category', 'category_l2', 'category_l3']
    assert str(videos.item_id.dtype) == 'int64'
    assert videos.cover_text.isna().tolist() == [True, False, False]
    assert videos.text.isna().tolist() == [False, False, True]
    assert videos.category.isna().tolist() == [False, False, True]
    assert videos.category_l3.isna().tolist() == [True, False, True]
    assert KUAIREC_TEXT_COLS == ['text', 'cover_text']


def test_kuairec_whitespace_caption_is_missing(tmp_path):
    videos = load_kuairec(kuairec_file(tmp_path, ['  ']))
    assert pd.isna(videos.text[1])


def test_kuairec_too_many_fields(tmp_path):
    path = kuairec_file(tmp_path, ['字幕'])
    path.write_bytes(path.read_bytes() + '3,UNKNOWN,a,b\n4,x,[],1,a,2,b,3,c,d\n'.encode())
    with pytest.raises(ValueError, match='record starting on line 5 has 13 fields; expected 10'): load_kuairec(path)


def test_kuairec_truncated_last_record(tmp_path):
    path = kuairec_file(tmp_path, ['字幕'])
    path.write_bytes(path.read_bytes() + '3,UNKNOWN,半截\n'.encode())
    with pytest.raises(ValueError, match='record starting on line 5 ends after 3 of 10 fields'): load_kuairec(path)


def test_kuairec_duplicate_ids(tmp_path):
    path = kuairec_file(tmp_path, ['字幕'])
    path.write_bytes(path.read_bytes() + KUAIREC_ROW0.encode() + b'\n')
    with pytest.raises(ValueError, match=r'1 duplicated video_id value\(s\) over 2 rows, e.g. \[0\]'): load_kuairec(path)


def test_kuairec_wrong_file(tmp_path):
    path = write(tmp_path/'items.csv', 'item_id,text\n1,x\n')
    with pytest.raises(ValueError, match=r"is missing column\(s\) \['video_id', 'caption'"): load_kuairec(path)
    with pytest.raises(FileNotFoundError, match=r"kuairec_caption_category.csv: no such \w+; expected KuaiRec's caption file"):
        load_kuairec(tmp_path)


# ---- THUCNews ----

@pytest.fixture
def thucnews(tmp_path):
    d = tmp_path/'thucnews_titles'
    d.mkdir()
    write(d/'class.txt', 'finance\nrealty\nsports')
    write(d/'dev.txt', '央行降息利好股市\t0\n楼市成交回暖\t1\n国足备战亚洲杯\t2\n')
    write(d/'test.txt', '北京新房价格上涨\t1\n湖人\t战胜勇士\t2\n')
    return d


def test_thucnews(thucnews):
    news = load_thucnews(thucnews)
    assert news.columns.tolist() == ['item_id', 'text', 'category', 'split']
    assert news.item_id.tolist() == ['dev-0', 'dev-1', 'dev-2', 'test-0', 'test-1']
    assert news.text.tolist()[-1] == '湖人\t战胜勇士'  # the label is after the last tab
    assert news.category.tolist() == ['finance', 'realty', 'sports', 'realty', 'sports']
    assert THUCNEWS_TEXT_COLS == ['text']


@pytest.mark.parametrize('splits, ids', [('test', ['test-0', 'test-1']), (['test', 'dev'], ['test-0', 'test-1', 'dev-0', 'dev-1', 'dev-2']),
                                         (('dev', 'dev'), ['dev-0', 'dev-1', 'dev-2'])])
def test_thucnews_splits(thucnews, splits, ids):
    assert load_thucnews(thucnews, splits=splits).item_id.tolist() == ids


@pytest.mark.parametrize('splits, bad', [('valid', "['valid']"), (['dev', 'train2'], "['train2']"), ('', "['']"),
                                         (['Dev'], "['Dev']")])
def test_thucnews_bad_split(thucnews, splits, bad):
    with pytest.raises(ValueError) as e: load_thucnews(thucnews, splits=splits)
    assert f'Unknown THUCNews split(s) {bad}' in str(e.value)
    assert "must be among ['train', 'dev', 'test']" in str(e.value)


def test_thucnews_no_split(thucnews):
    with pytest.raises(ValueError, match='No THUCNews split chosen'): load_thucnews(thucnews, splits=[])


def test_thucnews_missing_files(thucnews, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"train\.txt: no such file; expected the THUCNews 'train' split"): load_thucnews(thucnews, 'train')
    (thucnews/'class.txt').unlink()
    with pytest.raises(FileNotFoundError, match=r'class\.txt: no such file; expected the THUCNews class names'): load_thucnews(thucnews)
    with pytest.raises(FileNotFoundError, match='no such folder; expected the thucnews_titles folder'): load_thucnews(tmp_path/'nowhere')


@pytest.mark.parametrize('line', ['没有标签', '标签太大\t3', '标签不是数\tx', '负数\t-1'])
def test_thucnews_bad_line(thucnews, line):
    write(thucnews/'dev.txt', f'央行降息利好股市\t0\n{line}\n')
    with pytest.raises(ValueError, match='dev.txt line 2: expected "headline<TAB>label" with a label from 0 to 2'):
        load_thucnews(thucnews, 'dev')


def test_thucnews_crlf(thucnews):
    write(thucnews/'dev.txt', '央行降息\t0\r\n楼市\t1\r\n')
    news = load_thucnews(thucnews, 'dev')
    assert news.text.tolist() == ['央行降息', '楼市'] and news.category.tolist() == ['finance', 'realty']


# ---- MovieLens ----

@pytest.fixture
def movielens(tmp_path):
    d = tmp_path/'ml-latest-small'
    d.mkdir()
    write(d/'movies.csv', 'movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children\n'
                          '2,"American President, The (1995)",Comedy|Drama\n3,NA,(no genres listed)\n')
    write(d/'tags.csv', 'userId,movieId,tag,timestamp\n2,1,pixar,1\n5,1,fun,2\n7,1,pixar,3\n7,1,Pixar,4\n8,3,null,5\n')
    write(d/'ratings.csv', 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,3.5,964981247\n2,2,5.0,964982224\n')
    return d


def test_movielens(movielens):
    items, ratings = load_movielens(movielens)
    assert items.columns.tolist() == ['item_id', 'title', 'genres', 'tags', 'text']
    assert items.item_id.tolist() == [1, 2, 3]
    assert items.genres.tolist() == ['Adventure Animation Children', 'Comedy Drama', '']
    assert items.tags.tolist() == ['pixar, fun, Pixar', '', 'null']
    assert items.text.tolist() == ['Toy Story (1995) Adventure Animation Children pixar, fun, Pixar',
                                   'American President, The (1995) Comedy Drama', 'NA null']
    assert ratings.columns.tolist() == ['user_id', 'item_id', 'rating', 'timestamp']
    assert [str(t) for t in ratings.dtypes] == ['int64', 'int64', 'float32', 'int64']
    assert ratings.rating.tolist() == [4.0, 3.5, 5.0]
    assert MOVIELENS_TEXT_COLS == ['text']


def test_movielens_missing_file(movielens):
    (movielens/'tags.csv').unlink()
    with pytest.raises(FileNotFoundError, match=r'tags\.csv: no such \w+; expected MovieLens tags\.csv'): load_movielens(movielens)


def test_movielens_wrong_header(movielens):
    write(movielens/'ratings.csv', 'user,movie,rating\n1,1,4\n')
    with pytest.raises(ValueError, match=r"ratings\.csv is missing column\(s\) \['userId', 'movieId', 'timestamp'\]"):
        load_movielens(movielens)


# ---- load_dataset ----

@pytest.mark.parametrize('name', ['douban', 'KuaiRec', '', 'ml-latest-small'])
def test_load_dataset_unknown_name(name):
    with pytest.raises(ValueError, match=r"choose one of \['catalog', 'kuairec', 'thucnews', 'movielens'\]"):
        load_dataset(name)


def test_load_dataset_catalog():
    items, cols = load_dataset('catalog')
    assert cols == CATALOG_TEXT_COLS and cols is not CATALOG_TEXT_COLS
    assert items.item_id.tolist() == load_catalog().item_id.tolist()


def test_load_dataset_catalog_from_path(tmp_path):
    path = write(tmp_path/'mine.csv', 'item_id,title,brand,category,subcategory,description\nx,耳机,索尼,数码,耳机,降噪\n')
    items, cols = load_dataset('catalog', path)
    assert items.item_id.tolist() == ['x'] and cols == CATALOG_TEXT_COLS


def test_load_dataset_with_paths(tmp_path, thucnews, movielens):
    assert load_dataset('thucnews', thucnews)[0].item_id.tolist()[:2] == ['dev-0', 'dev-1']
    items, cols = load_dataset('movielens', movielens)
    assert isinstance(items, pd.DataFrame) and items.item_id.tolist() == [1, 2, 3] and cols == ['text']
    assert load_dataset('kuairec', kuairec_file(tmp_path, ['a', 'b']).parent)[1] == ['text', 'cover_text']


def test_load_dataset_from_env(tmp_path, thucnews, monkeypatch):
    monkeypatch.setenv('LLMREC_DATA_DIR', str(tmp_path))
    assert len(load_dataset('thucnews')[0]) == 5
    with pytest.raises(FileNotFoundError, match='ml-latest-small: no such folder; expected the ml-latest-small folder'): load_dataset('movielens')


def test_load_dataset_without_data(tmp_path, monkeypatch):
    monkeypatch.delenv('LLMREC_DATA_DIR', raising=False)
    monkeypatch.chdir(tmp_path)
    if any((p/'shared'/'data').is_dir() for p in tmp_path.parents): pytest.skip('a shared/data folder is above the temp dir')
    with pytest.raises(FileNotFoundError, match="load_dataset\\('thucnews'\\) needs `path`, the thucnews_titles folder"):
        load_dataset('thucnews')


# ---- the real datasets (slow) ----

@functools.lru_cache(maxsize=None)
def real_kuairec(path):
    return load_kuairec(path)


REPAIRED = {1378: ('明星娱乐', None, None), 1613: ('明星娱乐', '娱乐八卦', '明星八卦'),
            5910: ('其他', '生活泛拍', None), 6331: (None, None, None)}


@pytest.mark.slow
def test_real_kuairec(shared_data):
    videos = load_kuairec(shared_data/'kuairec')
    assert len(videos) == 10_728
    assert videos.item_id.tolist() == list(range(10_728))
    assert videos.text.isna().sum() == 1_356
    assert videos.cover_text.notna().sum() == 4_033
    assert (videos.category.nunique(), videos.category_l2.nunique(), videos.category_l3.nunique()) == (38, 137, 220)
    assert load_kuairec(shared_data/'kuairec'/'kuairec_caption_category.csv').equals(videos)


@pytest.mark.slow
def test_real_kuairec_file_has_split_records(shared_data):
    "What the repair is for: plain csv rows hold 4 records split into a 3-field and an 8-field physical line"
    with open(shared_data/'kuairec'/'kuairec_caption_category.csv', encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f))[1:]
    short = [(i, len(r)) for i, r in enumerate(rows) if len(r) != 10]
    assert [n for _, n in short] == [3, 8] * 4
    assert [rows[i][0] for i, n in short if n == 3] == [str(v) for v in sorted(REPAIRED)]


@pytest.mark.slow
@pytest.mark.parametrize('video_id', sorted(REPAIRED))
def test_real_kuairec_repaired_rows(shared_data, video_id):
    videos = real_kuairec(shared_data/'kuairec').set_index('item_id')
    row = videos.loc[video_id]
    got = tuple(None if pd.isna(v) else v for v in row[['category', 'category_l2', 'category_l3']])
    assert got == REPAIRED[video_id]
    assert isinstance(row.text, str) and '\n' not in row.text and '\r' not in row.text
    assert row.topic_tag.startswith('[') and row.topic_tag.endswith(']')


@pytest.mark.slow
def test_real_kuairec_repaired_caption(shared_data):
    videos = real_kuairec(shared_data/'kuairec').set_index('item_id')
    assert videos.text[1378] == '张凯教练：“我希望我们能开启一段王朝 ！”'
    assert videos.text[5910] == '我不会离开你 就像数学题一样 说不会就是不会 '


@pytest.mark.slow
def test_real_thucnews(shared_data):
    news = load_thucnews(shared_data/'thucnews_titles')
    assert len(news) == 20_000 and news.item_id.is_unique
    counts = news.category.value_counts()
    assert sorted(counts.index) == sorted(['finance', 'realty', 'stocks', 'education', 'science', 'society',
                                           'politics', 'sports', 'game', 'entertainment'])
    assert set(counts) == {2_000}
    assert news.split.value_counts().to_dict() == {'dev': 10_000, 'test': 10_000}
    assert news.item_id.iloc[[0, -1]].tolist() == ['dev-0', 'test-9999']
    assert news.text.str.len().between(4, 40).all()


@pytest.mark.slow
def test_real_movielens(shared_data):
    items, ratings = load_movielens(shared_data/'ml-latest-small')
    assert len(items) == 9_742 and items.item_id.is_unique
    assert len(ratings) == 100_836 and ratings.user_id.nunique() == 610 and ratings.item_id.nunique() == 9_724
    assert ratings.item_id.isin(items.item_id).all()
    assert ratings.rating.dtype == np.float32 and ratings.rating.between(0.5, 5.0).all()
    assert (items.genres == '').sum() == 34 and (items.tags != '').sum() == 1_572
    toy = items.set_index('item_id').loc[1]
    assert toy.title == 'Toy Story (1995)' and toy.text.startswith('Toy Story (1995) Adventure Animation Children Comedy Fantasy')


@pytest.mark.slow
@pytest.mark.parametrize('name, n, cols', [('catalog', None, CATALOG_TEXT_COLS), ('kuairec', 10_728, ['text', 'cover_text']),
                                           ('thucnews', 20_000, ['text']), ('movielens', 9_742, ['text'])])
def test_real_load_dataset(shared_data, monkeypatch, name, n, cols):
    monkeypatch.setenv('LLMREC_DATA_DIR', str(shared_data))
    items, text_cols = load_dataset(name)
    assert text_cols == cols
    assert items.item_id.is_unique and set(cols) <= set(items.columns)
    if n is not None: assert len(items) == n


@pytest.mark.slow
@pytest.mark.parametrize('name, folder', [('kuairec', 'kuairec'), ('thucnews', 'thucnews_titles'), ('movielens', 'ml-latest-small')])
def test_real_load_dataset_with_path(shared_data, monkeypatch, tmp_path, name, folder):
    monkeypatch.setenv('LLMREC_DATA_DIR', str(tmp_path))  # an empty folder: only `path` can find the data
    items, _ = load_dataset(name, shared_data/folder)
    assert len(items) == {'kuairec': 10_728, 'thucnews': 20_000, 'movielens': 9_742}[name]
    with pytest.raises(FileNotFoundError, match=f'{folder}: no such \\w+; expected'): load_dataset(name)
