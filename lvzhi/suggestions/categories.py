"""The categories a suggestion is filed under; the first seven are the real data's level-1 classes."""

CATEGORIES = [
    "城乡建设", "交通运输", "环境保护", "教育文体", "卫生计生", "劳动和社会保障", "商贸旅游",
    "农业农村", "经济发展", "政法工作", "民族宗教", "其他",
]
CATEGORY_CHOICES = [("", "请选择类别")] + [(c, c) for c in CATEGORIES]
