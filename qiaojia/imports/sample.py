"""Deterministic sample files of people for an import (benchmarks and tests)."""

import csv
import io
import random

from qiaojia.core.validators import id_number_check_character

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许"
    "韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉林晓云海燕德荣光耀鹏飞宇浩然思远嘉欣"
HEADERS = ["姓名", "性别", "出生日期", "侨界身份", "国家或地区", "手机", "身份证号", "入会日期", "级别"]


def sample_rows(count: int, *, seed: int = 1):
    """Rows of valid people: unique ID numbers and phones, names in Simplified."""
    rng = random.Random(seed)
    statuses = ["归侨", "侨眷", "华侨", "无"]
    base = rng.randint(0, 10_000_000)
    for n in range(count):
        birth = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        serial = base + n
        # Unique: the ID number's area code and serial, and the phone, both come from n.
        body = f"{110000 + serial // 1000 % 800000:06d}{birth}{serial % 1000:03d}"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        yield [
            name,
            rng.choice("男女"),
            f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
            rng.choice(statuses),
            "中国",
            f"13{serial % 1_000_000_000:09d}",
            body + id_number_check_character(body),
            "2024-01-01",
            "会员",
        ]


def sample_file(count: int, *, file_kind: str = "csv", seed: int = 1, rows=None) -> bytes:
    rows = sample_rows(count, seed=seed) if rows is None else rows
    if file_kind == "csv":
        # Encoded as it is written: a text buffer of a large file would hold four bytes a character.
        buffer = io.BytesIO()
        text = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(HEADERS)
        writer.writerows(rows)
        text.flush()
        text.detach()
        return buffer.getvalue()
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
