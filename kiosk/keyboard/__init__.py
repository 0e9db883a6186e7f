"""The on-screen pinyin keyboard: an offline dictionary built from jieba and pypinyin, and its candidates."""
