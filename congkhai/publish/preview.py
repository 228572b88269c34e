"""A pull request's preview that works from a download (`build_site.py preview`, `make ci-preview`).

Opened from disk (``file://``) a built site half works: folder links show listings and search
fails, since a browser does not let a page fetch files from disk (Pagefind fetches its index).
So the preview is the site with a launcher: ``xem-truoc.bat`` (Windows), ``xem-truoc.command``
(macOS), ``xem-truoc.sh`` (Linux) start a web server on this computer only (127.0.0.1) for the
``site/`` folder beside them and open the browser on it; ``HƯỚNG-DẪN.txt`` says how, in
Vietnamese. The server is ``xem-truoc.py`` (Python's own ``http.server``); where Python is
missing, Windows uses ``xem-truoc.ps1`` (PowerShell's ``HttpListener``, present on every
Windows). Deploying per-pull-request previews instead (GitHub Pages has one site per
repository) is an option documented in the README.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

SERVER = '''"""Xem trước trang Công khai: chạy một máy chủ web trên máy này (chỉ 127.0.0.1) cho thư mục
site/ bên cạnh, rồi mở trình duyệt. Đóng cửa sổ này (hoặc Ctrl+C) để dừng."""
import functools
import http.server
import os
import sys
import threading
import webbrowser
from pathlib import Path

site = Path(__file__).resolve().parent / "site"
http.server.SimpleHTTPRequestHandler.extensions_map.update({".wasm": "application/wasm", ".js": "text/javascript"})
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("XEM_TRUOC_PORT", "0"))), handler)
url = f"http://127.0.0.1:{httpd.server_address[1]}/"
print(f"Bản xem trước đang chạy tại {url}", flush=True)
print("Đóng cửa sổ này (hoặc nhấn Ctrl+C) để dừng.", flush=True)
if not os.environ.get("XEM_TRUOC_NO_BROWSER"):
    threading.Timer(0.5, webbrowser.open, [url]).start()
try:
    httpd.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
'''

SH = """#!/bin/sh
# Xem trước trang Công khai (Linux): sh xem-truoc.sh
cd "$(dirname "$0")" || exit 1
if command -v python3 >/dev/null 2>&1; then exec python3 xem-truoc.py; fi
exec python xem-truoc.py
"""

COMMAND = """#!/bin/sh
# Xem trước trang Công khai (macOS): nhấp đúp, hoặc trong Terminal: sh xem-truoc.command
cd "$(dirname "$0")" || exit 1
exec python3 xem-truoc.py
"""

BAT = """@echo off\r
rem Xem truoc trang Cong khai (Windows): nhap dup tep nay.\r
cd /d "%~dp0"\r
where py >nul 2>nul && (py -3 xem-truoc.py & goto :eof)\r
where python >nul 2>nul && (python xem-truoc.py & goto :eof)\r
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0xem-truoc.ps1"\r
"""

PS1 = """# Xem truoc trang Cong khai tren Windows khong co Python: may chu web tren 127.0.0.1 cho thu muc site\\\r
$ErrorActionPreference = 'Stop'\r
$site = Join-Path $PSScriptRoot 'site'\r
$types = @{ '.html'='text/html; charset=utf-8'; '.css'='text/css'; '.js'='text/javascript'; '.json'='application/json';\r
  '.svg'='image/svg+xml'; '.png'='image/png'; '.jpg'='image/jpeg'; '.webp'='image/webp'; '.ico'='image/x-icon';\r
  '.woff2'='font/woff2'; '.wasm'='application/wasm'; '.xml'='application/xml'; '.txt'='text/plain; charset=utf-8';\r
  '.csv'='text/csv; charset=utf-8'; '.pdf'='application/pdf' }\r
$port = Get-Random -Minimum 20000 -Maximum 60000\r
$listener = New-Object System.Net.HttpListener\r
$listener.Prefixes.Add("http://127.0.0.1:$port/")\r
$listener.Start()\r
$url = "http://127.0.0.1:$port/"\r
Write-Host "Ban xem truoc dang chay tai $url - dong cua so nay de dung."\r
Start-Process $url\r
$root = [System.IO.Path]::GetFullPath($site)\r
while ($listener.IsListening) {\r
  $ctx = $listener.GetContext()\r
  $rel = [System.Uri]::UnescapeDataString($ctx.Request.Url.AbsolutePath).TrimStart('/')\r
  $path = [System.IO.Path]::GetFullPath((Join-Path $root $rel))\r
  if ((Test-Path $path -PathType Container)) { $path = Join-Path $path 'index.html' }\r
  if ($path.StartsWith($root) -and (Test-Path $path -PathType Leaf)) {\r
    $bytes = [System.IO.File]::ReadAllBytes($path)\r
    $type = $types[[System.IO.Path]::GetExtension($path).ToLower()]\r
    if (-not $type) { $type = 'application/octet-stream' }\r
    $ctx.Response.ContentType = $type\r
  } else {\r
    $ctx.Response.StatusCode = 404\r
    $bytes = [System.Text.Encoding]::UTF8.GetBytes('Khong tim thay')\r
  }\r
  $ctx.Response.OutputStream.Write($bytes, 0, $bytes.Length)\r
  $ctx.Response.Close()\r
}\r
"""

GUIDE = """BẢN XEM TRƯỚC TRANG CÔNG KHAI\r
\r
Đây là trang web dựng từ yêu cầu hợp nhất (pull request), để xem trước khi hợp nhất.\r
Đừng mở thẳng site/index.html: mở từ ổ đĩa thì các liên kết chỉ hiện danh sách thư mục và\r
ô tìm kiếm không chạy. Hãy mở bằng tệp xem-truoc, tệp này chạy một máy chủ web trên chính\r
máy này (không ai khác truy cập được) và mở trình duyệt:\r
\r
1. Giải nén toàn bộ tệp .zip vào một thư mục (không mở từ bên trong tệp .zip).\r
2. Mở tệp theo máy của bạn:\r
   - Windows: nhấp đúp xem-truoc.bat (Windows có thể hỏi lần đầu: chọn "Thêm thông tin" rồi "Vẫn chạy").\r
   - macOS: nhấp chuột phải vào xem-truoc.command, chọn "Mở". Nếu không mở được: mở Terminal,\r
     gõ "sh " rồi kéo tệp xem-truoc.command vào cửa sổ Terminal và nhấn Enter.\r
   - Linux: trong cửa sổ dòng lệnh, chạy: sh xem-truoc.sh\r
3. Trình duyệt mở trang chủ. Nếu không tự mở, chép địa chỉ hiện trong cửa sổ đen\r
   (dạng http://127.0.0.1:...) vào trình duyệt.\r
4. Xem xong, đóng cửa sổ đen để dừng.\r
\r
Cần Python 3 trên macOS và Linux (thường có sẵn); trên Windows không có Python thì tệp .bat\r
dùng PowerShell có sẵn của Windows.\r
"""

#: The files beside ``site/``: name → (text, executable).
FILES: dict[str, tuple[str, bool]] = {
    "xem-truoc.py": (SERVER, False),
    "xem-truoc.sh": (SH, True),
    "xem-truoc.command": (COMMAND, True),
    "xem-truoc.bat": (BAT, False),
    "xem-truoc.ps1": (PS1, False),
    "HƯỚNG-DẪN.txt": (GUIDE, False),
}


def write_preview(site: Path, out: Path) -> Path:
    """The preview folder ``out`` (``site/`` and the launchers) and ``out``.zip beside it,
    with fixed timestamps and the launchers executable; returns the zip's path."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(site, out / "site")
    for name, (text, executable) in FILES.items():
        path = out / name
        path.write_bytes(("\ufeff" if name.endswith(".txt") else "").encode("utf-8") + text.encode("utf-8"))
        if executable:
            path.chmod(0o755)
    archive = out.with_suffix(".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(p for p in out.rglob("*") if p.is_file()):
            rel = path.relative_to(out).as_posix()
            info = zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100755 if FILES.get(rel, ("", False))[1] else 0o100644) << 16
            info.create_system = 3
            z.writestr(info, path.read_bytes())
    return archive
