"""The report as PDF: the docx (GB/T 9704 layout) converted by LibreOffice headless.

LibreOffice (``soffice``) is looked up on PATH (or ``FAZHI_SOFFICE``); each conversion runs
with a private profile directory, so concurrent conversions do not share (and lock) one.
Where the official fonts (方正小标宋简体, 仿宋_GB2312 …) are absent, fontconfig substitutes the
CJK fonts installed (Debian: fonts-noto-cjk): ``fonts.conf`` beside this module maps each
official font to Noto Serif CJK SC (黑体 to Noto Sans CJK SC) after the system's configuration. Without LibreOffice a clear Chinese message says
what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from fazhi.reports.assembly import AnnualReport
from fazhi.reports.renderers.base import RendererUnavailableError

TIMEOUT_SECONDS = 180
FONTS_CONF = Path(__file__).with_name("fonts.conf")
INSTALL_HINT = (
    "未找到 PDF 转换程序 LibreOffice（soffice）。请安装：apt-get install -y "
    "libreoffice-writer-nogui fonts-noto-cjk（或设置 FAZHI_SOFFICE 指向 soffice）；"
    "docx、html、md、json 格式不需要它。"
)


def soffice() -> str | None:
    configured = os.environ.get("FAZHI_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise RendererUnavailableError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
        try:
            done = subprocess.run(  # noqa: S603  a fixed program and arguments, no shell  # nosec B603
                [
                    program,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf:writer_pdf_Export",
                    "--outdir",
                    str(folder),
                    str(source),
                ],
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env=env,
            )
        except subprocess.TimeoutExpired:
            raise RendererUnavailableError(
                f"LibreOffice 转换 PDF 超过 {TIMEOUT_SECONDS} 秒未完成，请稍后重试。"
            ) from None
        target = folder / "report.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).decode(errors="replace").strip()[:300]
            raise RendererUnavailableError(f"LibreOffice 未能生成 PDF：{detail or '无输出'}")
        return target.read_bytes()


def render_pdf(report: AnnualReport) -> bytes:
    from fazhi.reports.renderers.docx import render_docx

    return docx_to_pdf(render_docx(report))
