# The two commands of the README: `make site` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: site test validate lint golden clean setup browser-deps xml-deps editor-deps office-deps html-deps require-site-url

setup: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

# SINCE=REV (a revision or tag of the last publication): first refuse when a plan published at
# REV is gone (published-plan-removed), as the deploy does (`make ci-site`).
site: $(STAMP)  ## validate, write the datasets, build the site into site/
	@if [ -n "$${SINCE:-}" ]; then \
	  report=$$($(BIN)/python build_site.py validate --since="$$SINCE") || { status=$$?; printf '%s\n' "$$report"; \
	    echo "Chưa dựng trang: so với lần công bố $$SINCE có kế hoạch bị mất hoặc còn lỗi (xem trên)." >&2; exit $$status; }; fi
	$(BIN)/python build_site.py build

validate: $(STAMP)
	$(BIN)/python build_site.py validate

test: $(STAMP) browser-deps xml-deps editor-deps office-deps html-deps  ## run every test (the browser tests drive Debian's chromium)
	$(BIN)/python -m pytest

# Debian's chromium for the browser tests; Playwright never downloads a browser of its own.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's xmllint (libxml2-utils): the Atom feeds are validated against a RELAX NG schema
# (tests/test_feeds.py) and the sitemap against the sitemaps.org XSD (tests/test_site.py), the
# way a strict reader would take them.
xml-deps:
	@command -v xmllint >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libxml2-utils >/dev/null; }

# Debian's LibreOffice Calc without its GUI (libreoffice-calc-nogui, no recommends: 57 packages,
# about 580 MB installed): tests/test_spreadsheets.py opens cong-khai.xlsx and an Excel CSV copy
# with `soffice --headless --convert-to`, as a reader's spreadsheet does.
office-deps:
	@command -v soffice >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null; }

# The Nu HTML Checker (vnu.jar, the W3C validator's engine) for tests/test_html.py: the npm package
# vnu-jar pinned by devtools/vnu/package-lock.json (`npm ci` whenever the lock changed), run by
# Debian's Java (default-jre-headless).
VNU_STAMP := devtools/vnu/node_modules/.installed-$(shell cat devtools/vnu/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
html-deps: $(VNU_STAMP)
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; }
$(VNU_STAMP): devtools/vnu/package.json devtools/vnu/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo 'Cần Node.js và npm cho trình kiểm tra HTML (Debian: apt-get install nodejs npm). / The HTML checker needs Node.js and npm.' >&2; exit 1; }
	cd devtools/vnu && npm ci --no-audit --no-fund --ignore-scripts
	rm -f devtools/vnu/node_modules/.installed-*
	touch $@

# The plan form's Decap CMS and its local server (decap-server, for the form's browser test),
# pinned by editor/package-lock.json: `npm ci` whenever the lock file changed. `make site`
# copies the bundle into site/quan-tri/ when it is installed (the page says so when not).
EDITOR_STAMP := editor/node_modules/.installed-$(shell cat editor/package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
editor-deps: $(EDITOR_STAMP)
$(EDITOR_STAMP): editor/package.json editor/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo 'Cần Node.js 20+ và npm cho biểu mẫu kế hoạch (Debian: apt-get install nodejs npm). / The plan form needs Node.js 20+ and npm.' >&2; exit 1; }
	cd editor && npm ci --no-audit --no-fund --ignore-scripts
	rm -f editor/node_modules/.installed-*
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check congkhai devtools tests build_site.py
	$(BIN)/ruff format --check congkhai devtools tests build_site.py
	$(BIN)/mypy congkhai devtools

golden: $(STAMP)  ## regenerate golden files after a deliberate change; review the diff
	$(BIN)/python -m tests.golden
	$(BIN)/python -m tests.test_opendata
	$(BIN)/python -m tests.test_compliance

clean:
	rm -rf site .site-* .pytest_cache

# ---- CI: every workflow step (.github/workflows/, .gitlab-ci.yml) is one of these targets, so
# what CI does runs locally too, e.g. `make ci-validate BASE=main`.
# Names never steer a command: file lists travel NUL-separated (git -z, find -print0) into bash
# arrays and reach every command after `--`; values quoted into a job summary or an annotation
# go through congkhai/report.py FILTERS ($(MD) NAME < value): a Markdown fence longer than any
# backtick run in the value, control characters shown as \x1b, annotation properties escaped
# as GitHub's toolkit does (% CR LF : ,).
BASE        ?= origin/main
SINCE       ?=
SUMMARY     ?= $(or $(GITHUB_STEP_SUMMARY),/dev/stdout)
IMPORT_DIR  ?= build/import
IMPORT_PR   ?= .
RELEASE_DIR ?= build/release
GIT_BOT     := -c user.name='github-actions[bot]' -c user.email='41898282+github-actions[bot]@users.noreply.github.com'
MD = $(BIN)/python -c 'import sys; from congkhai.report import FILTERS; sys.stdout.write(FILTERS[sys.argv[1]](sys.stdin.read(), *sys.argv[2:]))'
export BASE SINCE CHANGED

.PHONY: ci-validate ci-summary ci-site ci-import ci-import-commit ci-import-push release-assets publish-release
.PHONY: ci-review-markers ci-comment ci-comment-post ci-import-recheck ci-import-handoff ci-preview
ci-validate ci-site ci-import ci-import-commit ci-import-push ci-import-handoff ci-review-markers ci-comment ci-comment-post ci-import-recheck: SHELL := /bin/bash

# Annotate the plans changed since BASE (all plans when data/ or schemas/ changed, when a plan was
# deleted or renamed, or when none changed; CHANGED="a.md b.md" to choose); fail on errors, on
# a plan published at BASE that is gone and on files left in inbox/. A deletion means the whole
# check: a check of named files reports only on those files, and the gone plan is not one of
# them. The nothing-lost check compares with the fork point of BASE (what this branch could
# delete). GitHub shows only 10 annotations per kind per step, so the whole report goes to the
# job summary as well.
ci-validate: $(STAMP)
	@set -uo pipefail; files=(); since=(); status=0; \
	if [ -n "$${CHANGED:-}" ]; then read -ra files <<< "$$CHANGED"; \
	elif git rev-parse -q --verify "$$BASE^{commit}" >/dev/null && git diff --quiet "$$BASE...HEAD" -- data schemas \
	  && git diff --quiet --no-renames --diff-filter=D "$$BASE...HEAD" -- docs/plans; then \
	  mapfile -d '' files < <(git diff -z --name-only --no-renames --diff-filter=d "$$BASE...HEAD" -- 'docs/plans/*.md'); fi; \
	if base=$$(git rev-parse -q --verify "$$BASE^{commit}"); then fork=$$(git merge-base "$$base" HEAD || true); \
	  if [ -z "$$fork" ] || [ "$$fork" = "$$base" ]; then since=("--since=$$BASE"); else since=("--since=$$fork"); fi; fi; \
	$(BIN)/python build_site.py validate "$${since[@]}" --format github -- "$${files[@]}" || status=$$?; \
	mapfile -d '' pending < <(find inbox -type f ! -name README.md ! -name '.*' -print0 2>/dev/null | LC_ALL=C sort -z); \
	for f in "$${pending[@]}"; do status=1; \
	  echo "::error file=$$(printf '%s' "$$f" | $(MD) prop),title=inbox::Tệp vẫn nằm trong inbox/: chờ quy trình nhập tạo bản nháp kế hoạch, rồi xóa tệp này trước khi hợp nhất."; done; \
	{ echo '## Kết quả kiểm tra'; echo; \
	  if [ $${#files[@]} -gt 0 ]; then echo 'Các tệp được kiểm tra:'; echo; printf '%s\0' "$${files[@]}" | $(MD) fence0 text; \
	  else echo 'Đã kiểm tra toàn bộ kế hoạch và bảng tham chiếu.'; fi; echo; \
	  { $(BIN)/python build_site.py validate "$${since[@]}" --format text -- "$${files[@]}" || true; } | $(MD) fence text; \
	  if [ $${#pending[@]} -gt 0 ]; then echo; echo 'Tệp còn trong `inbox/` (cần xóa trước khi hợp nhất):'; echo; \
	    printf '%s\0' "$${pending[@]}" | $(MD) fence0 text; fi; echo; \
	} >> '$(SUMMARY)'; \
	exit $$status

# The plans changed since BASE (NUL-separated in the bash array `files`) and the fork point of
# BASE (`fork`), for the merge gate and the comment: the same rule as ci-validate's file list
# (CHANGED="a.md b.md" to choose), without its "all plans" fallback.
CHANGED_PLANS = files=(); fork=; \
	if base=$$(git rev-parse -q --verify "$$BASE^{commit}"); then fork=$$(git merge-base "$$base" HEAD || true); fi; \
	if [ -n "$${CHANGED:-}" ]; then read -ra files <<< "$$CHANGED"; \
	elif [ -n "$$fork" ]; then mapfile -d '' files < <(git diff -z --name-only --no-renames --diff-filter=d "$$fork" HEAD -- 'docs/plans/*.md'); fi

# The merge gate: a changed plan that still carries the importer's review marker ("CẦN KIỂM TRA",
# its draft note) or a printed fact newly marked inferred fails, annotated on its line
# (congkhai/commands/review.py says precisely what blocks). A required check of pull-request.yml.
ci-review-markers: $(STAMP)
	@set -uo pipefail; $(CHANGED_PLANS); status=0; \
	$(BIN)/python build_site.py review --base="$${fork:-HEAD}" --format github -- "$${files[@]}" || status=$$?; \
	{ echo '## Dấu cần kiểm tra của bản nháp'; echo; \
	  if [ $$status = 0 ]; then echo 'Không còn dấu “CẦN KIỂM TRA” hay thông tin suy luận chưa được người kiểm tra xác nhận.'; \
	  else { $(BIN)/python build_site.py review --base="$${fork:-HEAD}" --format text -- "$${files[@]}" || true; } | $(MD) fence text; fi; echo; \
	} >> '$(SUMMARY)'; \
	exit $$status

# The preview of a pull request that works from a download (congkhai/publish/preview.py): after
# `make site`, site/ with launchers (xem-truoc.bat/.command/.sh start a web server on 127.0.0.1
# and open the browser, so links reach pages and search works) and HƯỚNG-DẪN.txt, as the folder
# PREVIEW_DIR (what the workflow uploads) and PREVIEW_DIR.zip.
PREVIEW_DIR ?= build/xem-truoc
ci-preview: $(STAMP)
	@$(BIN)/python build_site.py preview --out '$(PREVIEW_DIR)'

# The pull request's one comment (congkhai/commands/prcomment.py) written to COMMENT: the change
# counted, its plans in a table, every finding of the changed plans with its fix, the preview
# (PREVIEW_URL) and the run (RUN_URL). The workflow posts it, editing the comment it posted before.
COMMENT ?= build/pr/comment.md
ci-comment: $(STAMP)
	@set -uo pipefail; $(CHANGED_PLANS); dir=$$(dirname -- '$(COMMENT)'); mkdir -p -- "$$dir"; \
	if [ $${#files[@]} -gt 0 ]; then \
	  $(BIN)/python build_site.py validate --format json -- "$${files[@]}" > "$$dir/validate.json" || true; \
	  $(BIN)/python build_site.py review --base="$${fork:-HEAD}" --format json -- "$${files[@]}" > "$$dir/review.json" || true; \
	else rm -f -- "$$dir/validate.json" "$$dir/review.json"; fi; \
	$(BIN)/python build_site.py comment "$$BASE" HEAD --report "$$dir/validate.json" --report "$$dir/review.json" \
	  --preview "$${PREVIEW_URL:-}" --run "$${RUN_URL:-}" > '$(COMMENT)'; \
	printf '%s\n%s\n' "$${PR_NUMBER:-}" "$$(git rev-parse HEAD)" > "$$dir/pr.txt"

# Post the comment of `make ci-comment` (COMMENT, with pr.txt beside it: the pull request's number
# and the commit it describes) to the pull request of REPOSITORY with gh (GH_TOKEN: pull-requests:
# write), editing the comment that carries the marker if there is one, else adding it. Run by
# pr-comment.yml from the base branch: the files are data (the number must be a number and the
# pull request's head must still be HEAD_SHA, else the comment is stale and not posted), the body
# passes FILTERS[comment] (marker first, size, no mentions).
ci-comment-post:
	@set -euo pipefail; dir=$$(dirname -- '$(COMMENT)'); \
	{ read -r pr; read -r sha; } < "$$dir/pr.txt" || true; \
	[[ "$${pr:-}" =~ ^[1-9][0-9]{0,9}$$ ]] || { echo 'Không rõ số của yêu cầu hợp nhất: không đăng bình luận.'; exit 0; }; \
	repo="$${REPOSITORY:?REPOSITORY is owner/name}"; \
	head=$$(gh api "repos/$$repo/pulls/$$pr" --jq .head.sha); \
	if [ "$$head" != "$${HEAD_SHA:?HEAD_SHA is the commit the run checked}" ] || [ "$${sha:-}" != "$$HEAD_SHA" ]; then \
	  echo "Yêu cầu #$$pr đã có commit mới hơn: bỏ qua bình luận cũ."; exit 0; fi; \
	$(MD) comment < '$(COMMENT)' > "$$dir/body.md"; \
	id=$$(gh api --paginate "repos/$$repo/issues/$$pr/comments" \
	  --jq '.[] | select(.user.login == "github-actions[bot]" and (.body | startswith("<!-- congkhai-pr-comment -->"))) | .id' | head -n 1); \
	if [ -n "$$id" ]; then gh api --method PATCH "repos/$$repo/issues/comments/$$id" -F "body=@$$dir/body.md" >/dev/null; echo "Đã cập nhật bình luận $$id."; \
	else gh api --method POST "repos/$$repo/issues/$$pr/comments" -F "body=@$$dir/body.md" >/dev/null; echo 'Đã đăng bình luận.'; fi

# Plans added / changed / removed since BASE with their metadata and the row-level dataset changes;
# PREVIEW_URL (the uploaded site) is linked when set.
ci-summary: $(STAMP)
	@{ $(BIN)/python build_site.py diff "$$BASE" HEAD --format markdown; \
	  if [ -n "$${PREVIEW_URL:-}" ]; then echo; echo '## Xem trước'; echo; \
	    echo "Tải [bản xem trước của trang]($$PREVIEW_URL), giải nén rồi mở tệp \`xem-truoc\` (hướng dẫn trong \`HƯỚNG-DẪN.txt\`)."; fi; \
	} >> '$(SUMMARY)'

# The deploy's build: `make site SINCE=…` against the last publication, so that no route (a
# merge that skipped the pull-request check, a push to main) deletes a published plan. The last
# publication is SINCE when given, else the newest data release tag (du-lieu-*, made by
# `make publish-release` after each deploy that changed data) HEAD descends from; on GitLab,
# whose pipeline makes no tags, the revision the last successful `pages` job built (REVISION in
# its build/release/release.env, read with the job token). Nothing published yet: no check.
ci-site: require-site-url
	@set -euo pipefail; since="$${SINCE:-}"; \
	if [ -z "$$since" ] && [ -n "$${CI_JOB_TOKEN:-}" ] && [ -n "$${CI_API_V4_URL:-}" ]; then \
	  env=$$(mktemp); code=$$(curl -sS -o "$$env" -w '%{http_code}' -H "JOB-TOKEN: $$CI_JOB_TOKEN" \
	    "$$CI_API_V4_URL/projects/$$CI_PROJECT_ID/jobs/artifacts/$$CI_DEFAULT_BRANCH/raw/$(RELEASE_DIR)/release.env?job=pages") || code=000; \
	  case "$$code" in 200) since=$$(sed -n 's/^REVISION=\([0-9a-f]\{40\}\)$$/\1/p' "$$env");; 404) ;; \
	    *) echo "Không đọc được lần công bố trước (HTTP $$code). Đặt biến SINCE=<mã commit đã công bố> rồi chạy lại." >&2; exit 1;; esac; \
	  rm -f "$$env"; fi; \
	if [ -z "$$since" ]; then since=$$(git describe --tags --abbrev=0 --match 'du-lieu-*' HEAD 2>/dev/null || true); fi; \
	if [ -n "$$since" ]; then echo "Lần công bố trước: $$since"; else echo 'Chưa có lần công bố nào trước: không cần kiểm tra kế hoạch bị mất.'; fi; \
	$(MAKE) --no-print-directory site SINCE="$$since"

# A publishing build must know the site's public address (SITE_URL, mkdocs.yml `site_url`):
# without it the build is a preview (relative addresses, no sitemap, robots.txt shutting crawlers
# out, "Bản xem trước" on every page), which must never be deployed. The deploy (deploy.yml,
# .gitlab-ci.yml) builds through `make ci-site`, which needs this first.
require-site-url:
	@case "$${SITE_URL:-}" in http://?*|https://?*) ;; \
	  *) echo "Không công bố bản xem trước: chưa đặt địa chỉ trang SITE_URL (ví dụ SITE_URL=https://example.gov.vn/cong-khai/). / Refusing to publish a preview: SITE_URL (the site's public address) is not set." >&2; exit 1;; esac

# Draft a plan from every file in inbox/ (the importer writes docs/plans/<province>/<id>.md and
# any new catalogue rows); the drafts are copied to IMPORT_DIR/files and shown in the job summary.
# PUSH=1 when the workflow commits them back to the branch (same-repository pull requests).
# The lists in IMPORT_DIR (inbox.txt, imported.txt: original and draft folder, drafts.txt) are
# NUL-separated.
ci-import: $(STAMP)
	@set -uo pipefail; rm -rf $(IMPORT_DIR); mkdir -p $(IMPORT_DIR)/files; status=0; : > $(IMPORT_DIR)/imported.txt; \
	mapfile -d '' inbox < <(find inbox -type f ! -name README.md ! -name '.*' -print0 | LC_ALL=C sort -z); \
	for f in "$${inbox[@]}"; do printf '%s\0' "$$f"; done > $(IMPORT_DIR)/inbox.txt; \
	echo '## Bản nháp kế hoạch từ inbox/' >> '$(SUMMARY)'; \
	for f in "$${inbox[@]}"; do \
	  if $(BIN)/python build_site.py import -- "$$f" > $(IMPORT_DIR)/log.txt 2>&1; then \
	    draft=$$(sed -n 's|^Đã viết bản nháp: ||p' $(IMPORT_DIR)/log.txt | head -n 1); \
	    printf '%s\0%s\0' "$$f" "$$(dirname -- "$${draft#"$$PWD"/}")" >> $(IMPORT_DIR)/imported.txt; \
	    { echo; echo "### Đã nhập $$(printf '%s' "$$f" | $(MD) code)"; } >> '$(SUMMARY)'; \
	  else status=1; echo "::error file=$$(printf '%s' "$$f" | $(MD) prop),title=import::Không chuyển được tệp này thành bản nháp; xem tóm tắt của quy trình."; \
	    { echo; echo "### Không chuyển được $$(printf '%s' "$$f" | $(MD) code)"; } >> '$(SUMMARY)'; fi; \
	  { echo; $(MD) fence text < $(IMPORT_DIR)/log.txt; } >> '$(SUMMARY)'; \
	done; \
	git ls-files -z --others --modified --exclude-standard -- docs/plans data > $(IMPORT_DIR)/drafts.txt; \
	mapfile -d '' drafts < $(IMPORT_DIR)/drafts.txt; \
	for p in "$${drafts[@]}"; do [ -f "$$p" ] || continue; cp --parents -- "$$p" $(IMPORT_DIR)/files/; \
	  { echo; echo "### $$(printf '%s' "$$p" | $(MD) code)"; echo; $(MD) fence markdown < "$$p"; } >> '$(SUMMARY)'; \
	done; \
	{ echo; if [ ! -s $(IMPORT_DIR)/drafts.txt ]; then echo 'Chưa có bản nháp nào.'; \
	  elif [ '$(PUSH)' = 1 ]; then echo 'Bản nháp có một kế hoạch: máy ghi nó vào nhánh của **biểu mẫu** dành cho kế hoạch đó, mở một yêu cầu hợp nhất mới và đóng yêu cầu này (bình luận ghi đường dẫn). Mở bản nháp trên biểu mẫu (`/quan-tri/`, thẻ **Biên tập**) và làm theo ô **Ghi chú**. Nhiều kế hoạch (hoặc kế hoạch đã có bản nháp đang chờ): bản nháp được ghi vào nhánh của yêu cầu này; sửa bằng **Edit file** ở tab **Files changed**. Tệp gốc được chuyển từ `inbox/` sang cạnh bản nháp.'; \
	  else echo 'Yêu cầu này đến từ một bản sao (fork) nên quy trình không ghi được vào nhánh. Tải tệp đính kèm **ban-nhap-ke-hoach** ở cuối trang (hoặc chép nội dung ở trên), tạo tệp đúng đường dẫn trong nhánh của bạn bằng **Add file → Create new file**, rồi xóa tệp trong `inbox/`.'; fi; \
	} >> '$(SUMMARY)'; \
	exit $$status

# Commit the drafts of `make ci-import` (IMPORT_DIR, made by the pull request's own code, so only
# data) into the checkout IMPORT_PR of the pull request and move each imported original from
# inbox/ next to its draft (the plan's source_file). This target comes from the base branch:
# the workflow never runs the pull request's Makefile with a write token. A listed path must be
# a plan (docs/plans/…md) or a catalogue file (data/…), the original a file of inbox/, each
# exactly where it says (no `..`, no symbolic link on the way, nothing in .git); anything else
# stops the commit. Git runs without hooks and with literal pathspecs.
ci-import-commit:
	@set -euo pipefail; export GIT_LITERAL_PATHSPECS=1; rm -f $(IMPORT_DIR)/committed; \
	test -s $(IMPORT_DIR)/drafts.txt || { echo 'Không có bản nháp nào để ghi.'; exit 0; }; \
	pr=$$(realpath -e -- '$(IMPORT_PR)'); files=$$(realpath -e -- $(IMPORT_DIR)/files); \
	git() { command git -C "$$pr" -c core.hooksPath=/dev/null "$$@"; }; \
	refuse() { printf '::error title=import::Bỏ qua: đường dẫn không hợp lệ trong bản nháp: %q\n' "$$1"; exit 1; }; \
	inside() { local d; case "/$$1/" in */.git/*|*/../*|*/./*|*//*) return 1;; esac; d=$$(realpath -m -- "$$pr/$$1"); \
	  case "$$d" in "$$pr/$$2"/*) [ "$$d" = "$$pr/$$1" ];; *) return 1;; esac; }; \
	mapfile -d '' drafts < $(IMPORT_DIR)/drafts.txt; \
	for p in "$${drafts[@]}"; do \
	  case "$$p" in docs/plans/*.md) inside "$$p" docs/plans || refuse "$$p";; data/*) inside "$$p" data || refuse "$$p";; *) refuse "$$p";; esac; \
	  src="$$files/$$p"; { [ -f "$$src" ] && [ "$$(realpath -e -- "$$src")" = "$$src" ]; } || refuse "$$p"; \
	  mkdir -p -- "$$(dirname -- "$$pr/$$p")"; cp -- "$$src" "$$pr/$$p"; git add -- "$$p"; \
	done; \
	mapfile -d '' pairs < $(IMPORT_DIR)/imported.txt; \
	for ((i = 0; i + 1 < $${#pairs[@]}; i += 2)); do f=$${pairs[i]}; dir=$${pairs[i+1]}; \
	  inside "$$f" inbox || refuse "$$f"; \
	  if [ -f "$$pr/$$f" ] && inside "$$dir/x" docs/plans && [ -d "$$pr/$$dir" ]; then git mv -k -- "$$f" "$$dir/"; \
	  else git rm -q --ignore-unmatch -- "$$f"; fi; \
	done; \
	git $(GIT_BOT) commit -q -m 'Bản nháp kế hoạch từ inbox/ (nhập tự động, cần người kiểm tra)'; \
	$(MD) editorial < $(IMPORT_DIR)/drafts.txt > $(IMPORT_DIR)/editorial; \
	touch $(IMPORT_DIR)/committed

# Push the commit of `make ci-import-commit` with PUSH_TOKEN, the only step given a write token,
# to where the plan form finds it: when the drafts hold one plan, the branch of Decap's editorial
# workflow for that plan (cms/plans/<province>/<id>, congkhai/render/editor.py), so the clerk
# checks and corrects the draft in the form, not in YAML; otherwise (several plans, or that branch
# already holds a draft in progress) the pull request's branch HEAD_REF of REPOSITORY (owner/name).
# The token reaches git in its environment (an http.extraheader for the server only), never
# .git/config or a command line. Pushed with the workflow's token, so no new run starts by
# itself: `make ci-import-recheck` starts the checks on the new head. Nothing is overwritten (no
# force). Writes `branch=` (where the drafts went) and `pushed=true` to GITHUB_OUTPUT.
ci-import-push:
	@set -euo pipefail; test -e $(IMPORT_DIR)/committed || { echo 'Không có gì để đẩy lên.'; exit 0; }; \
	ref="$${HEAD_REF:?HEAD_REF is the branch to push to}"; git check-ref-format --branch "$$ref" >/dev/null; \
	editorial=$$(cat $(IMPORT_DIR)/editorial 2>/dev/null || true); \
	server="$${GITHUB_SERVER_URL:-https://github.com}"; \
	auth=$$(printf 'x-access-token:%s' "$${PUSH_TOKEN:?PUSH_TOKEN is the token to push with}" | base64 -w0); \
	push() { GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.$$server/.extraheader" GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $$auth" \
	  git -C '$(IMPORT_PR)' -c core.hooksPath=/dev/null push -q "$$server/$${REPOSITORY:?REPOSITORY is owner/name}.git" "HEAD:refs/heads/$$1"; }; \
	if [ -n "$$editorial" ] && git check-ref-format --branch "$$editorial" >/dev/null && push "$$editorial"; then ref=$$editorial; \
	  echo "Đã ghi bản nháp vào nhánh $$ref: mở được trong biểu mẫu."; \
	else if [ -n "$$editorial" ]; then echo "::warning title=import::Nhánh $$editorial của biểu mẫu đã có một bản nháp đang chờ: bản nháp mới được ghi vào nhánh của yêu cầu này."; fi; \
	  push "$$ref"; echo "Đã ghi bản nháp vào nhánh $$ref."; fi; \
	printf 'branch=%s\npushed=true\n' "$$ref" >> "$${GITHUB_OUTPUT:-/dev/null}"

# Hand a draft pushed to the form's branch (BRANCH, from ci-import-push) over to the form: a pull
# request from BRANCH into BASE_REF labelled as Decap's editorial workflow expects (so the form's
# "Biên tập" tab lists it and opens it), then the upload's pull request PR_NUMBER is closed with a
# comment pointing there (its commits are in the new one). GH_TOKEN: pull-requests and issues:
# write ("Allow GitHub Actions to create pull requests" on, DEPLOYMENT.md). The form's address is
# SITE_URL, else the repository's GitHub Pages address. Writes `pr=` (the pull request the checks
# report to) to GITHUB_OUTPUT; a draft left on HEAD_REF keeps PR_NUMBER.
ci-import-handoff:
	@set -euo pipefail; branch="$${BRANCH:-}"; head="$${HEAD_REF:?HEAD_REF is the upload branch}"; \
	pr="$${PR_NUMBER:-}"; [[ "$$pr" =~ ^[1-9][0-9]{0,9}$$ ]] || { echo 'Không rõ số của yêu cầu tải lên.'; exit 1; }; \
	if [ -z "$$branch" ] || [ "$$branch" = "$$head" ]; then echo "pr=$$pr" >> "$${GITHUB_OUTPUT:-/dev/null}"; \
	  echo "Bản nháp ở lại nhánh $$head."; exit 0; fi; \
	[ "$$branch" = "$$($(MD) editorial < $(IMPORT_DIR)/drafts.txt)" ] || { echo "Nhánh $$branch không phải nhánh của biểu mẫu cho bản nháp này." >&2; exit 1; }; \
	repo="$${REPOSITORY:?REPOSITORY is owner/name}"; plan=$$($(MD) editorial path < $(IMPORT_DIR)/drafts.txt); \
	site="$${SITE_URL:-}"; [ -n "$$site" ] || site=$$(gh api "repos/$$repo/pages" --jq .html_url 2>/dev/null || true); \
	form=; if [[ "$$site" =~ ^https?://[^[:space:]\"\<\>]+$$ ]]; then form="$${site%/}/quan-tri/$$($(MD) editorial address < $(IMPORT_DIR)/drafts.txt)"; fi; \
	open="Mở bản nháp trong **biểu mẫu** $${form:+($$form) }(trang Quản trị \`/quan-tri/\` của trang công khai, thẻ **Biên tập**), sửa các mục ghi “CẦN KIỂM TRA” theo ghi chú của bản nháp rồi bấm **Lưu**: kiểm tra tự chạy lại sau mỗi lần lưu."; \
	body=$(IMPORT_DIR)/handoff-body.md; \
	printf '%s\n\n%s\n\nTệp gốc đã được chuyển cạnh bản nháp. Yêu cầu tải lên: #%s.\n' \
	  "Bản nháp kế hoạch \`$$plan\` do công cụ nhập viết từ tệp tải lên." "$$open" "$$pr" > "$$body"; \
	label=$$($(MD) editorial label < /dev/null); \
	gh label create "$$label" --repo "$$repo" --color d4c5f9 --description 'Bản nháp của biểu mẫu (Decap CMS)' --force >/dev/null; \
	url=$$(gh pr create --repo "$$repo" --base "$${BASE_REF:-main}" --head "$$branch" --label "$$label" \
	  --title "Kế hoạch $${plan##*/} (nhập từ tệp Word, cần kiểm tra)" --body-file "$$body"); \
	new=$${url##*/}; [[ "$$new" =~ ^[1-9][0-9]{0,9}$$ ]] || { echo "Không tạo được yêu cầu hợp nhất: $$url" >&2; exit 1; }; \
	printf '%s\n\n%s\n' "Bản nháp đã sẵn sàng ở yêu cầu #$$new (nhánh \`$$branch\`); yêu cầu này được đóng lại, mọi tệp của nó nằm trong yêu cầu mới." "$$open" > "$$body"; \
	gh pr close "$$pr" --repo "$$repo" --comment "$$(cat "$$body")" >/dev/null; \
	echo "pr=$$new" >> "$${GITHUB_OUTPUT:-/dev/null}"; echo "Đã mở yêu cầu #$$new cho biểu mẫu, đóng yêu cầu #$$pr."

# Run the pull request's checks again on the drafts just pushed (HEAD_REF of REPOSITORY): a push
# made with the workflow's token starts no workflow, so the pull request would stay red with the
# stale error of the inbox file while the drafts' real errors were annotated nowhere. GitHub's
# documented exception: a workflow_dispatch started with that token does run. pull-request.yml
# runs on the branch's new head and reports there (its jobs are the pull request's checks);
# PR_NUMBER tells it which comment to update. GH_TOKEN needs actions: write.
ci-import-recheck:
	@set -euo pipefail; ref="$${HEAD_REF:?HEAD_REF is the branch of the pull request}"; git check-ref-format --branch "$$ref" >/dev/null; \
	pr="$${PR_NUMBER:-}"; [[ "$$pr" =~ ^[0-9]*$$ ]] || pr=; \
	gh workflow run pull-request.yml --repo "$${REPOSITORY:?REPOSITORY is owner/name}" --ref "$$ref" -f "pr=$$pr"; \
	echo "Đã chạy lại kiểm tra trên nhánh $$ref."

# The dataset release, after `make site`: site/data (without its HTML pages) and CITATION.cff as
# a dated .tar.gz and .zip with SHA256SUMS, and a changelog from the dataset diff against the
# previous release tag (du-lieu-*). No release when plans, data/ and schemas/ are unchanged since
# it (FORCE=1 to release anyway).
release-assets: $(STAMP)
	@set -eu; test -f site/data/datapackage.json || { echo 'Chạy make site trước.' >&2; exit 1; }; \
	day=$$(TZ=Asia/Ho_Chi_Minh date +%Y-%m-%d); tag=du-lieu-$$day; n=1; \
	while git rev-parse -q --verify "refs/tags/$$tag" >/dev/null; do n=$$((n+1)); tag=du-lieu-$$day.$$n; done; \
	prev=$$(git describe --tags --abbrev=0 --match 'du-lieu-*' HEAD 2>/dev/null || true); \
	skip=0; if [ -n "$$prev" ] && [ -z '$(FORCE)' ] && git diff --quiet "$$prev" HEAD -- docs/plans data schemas; then skip=1; fi; \
	epoch=$$(git log -1 --format=%ct); name=cong-khai-$$tag; \
	rm -rf $(RELEASE_DIR); mkdir -p $(RELEASE_DIR)/$$name; \
	tar -C site/data --exclude='*.html' -cf - . | tar -C $(RELEASE_DIR)/$$name -xf -; \
	find $(RELEASE_DIR)/$$name -type d -empty -delete; cp CITATION.cff $(RELEASE_DIR)/$$name/; \
	{ echo "# Dữ liệu Công khai $$tag"; echo; echo "Phiên bản mã nguồn: \`$$(git rev-parse HEAD)\`."; echo; \
	  if [ -n "$$prev" ]; then echo "Thay đổi so với bản phát hành trước \`$$prev\`:"; echo; $(BIN)/python build_site.py diff "$$prev" HEAD --format markdown; \
	  else echo 'Bản phát hành đầu tiên.'; fi; } > $(RELEASE_DIR)/CHANGELOG.md; \
	cp $(RELEASE_DIR)/CHANGELOG.md $(RELEASE_DIR)/$$name/; \
	(cd $(RELEASE_DIR)/$$name && find . -type f | LC_ALL=C sort | sed 's|^\./||' | xargs -d '\n' sha256sum > SHA256SUMS); \
	find $(RELEASE_DIR)/$$name -exec touch -h -d "@$$epoch" {} +; \
	(cd $(RELEASE_DIR) && tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$$epoch" -cf - $$name | gzip -9n > $$name.tar.gz \
	  && find $$name -type f | LC_ALL=C sort | zip -X -q $$name.zip -@ \
	  && sha256sum $$name.tar.gz $$name.zip CHANGELOG.md > SHA256SUMS && rm -rf $$name); \
	printf 'TAG=%s\nPREV=%s\nSKIP=%s\nREVISION=%s\n' "$$tag" "$$prev" "$$skip" "$$(git rev-parse HEAD)" > $(RELEASE_DIR)/release.env; \
	cat $(RELEASE_DIR)/release.env

# Publish RELEASE_DIR as a GitHub release (gh, GH_TOKEN with contents: write) at GITHUB_SHA.
publish-release:
	@set -eu; . ./$(RELEASE_DIR)/release.env; \
	if [ "$$SKIP" = 1 ]; then echo "Dữ liệu không đổi kể từ $$PREV: không phát hành."; exit 0; fi; \
	head -c 120000 $(RELEASE_DIR)/CHANGELOG.md > $(RELEASE_DIR)/notes.md; \
	gh release create "$$TAG" --target "$${GITHUB_SHA:-$$(git rev-parse HEAD)}" --title "Dữ liệu Công khai $$TAG" \
	  --notes-file $(RELEASE_DIR)/notes.md $(RELEASE_DIR)/cong-khai-$$TAG.tar.gz $(RELEASE_DIR)/cong-khai-$$TAG.zip \
	  $(RELEASE_DIR)/SHA256SUMS $(RELEASE_DIR)/CHANGELOG.md

# ---- Benchmarks (issues 6 and 14): corpora of SIZES plans, our pipeline against stock mkdocs, Hugo
# and frictionless in the same run, the one-plan rebuild and the national site from two province
# shards, with the determinism, nothing-lost and search-transfer checks on the built sites; figures
# and the judged targets in BENCHMARKS.json (the targets printed as BENCHMARKS.md's table by
# devtools/bench_report.py) and the chart BENCHMARKS.svg. The 10k run takes about an hour on
# 2 cores: `make bench SIZES=1000` for less; `SIZES="1000 10000 50000"` for issue 14's figures
# (the disk needed is checked first; each step's timeout grows with N, at most 8 hours).
.PHONY: bench
bench: $(STAMP) browser-deps
	@command -v hugo >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -qq hugo >/dev/null 2>&1 || echo "hugo unavailable: the Hugo comparison is skipped"; }
	$(BIN)/python -m devtools.bench $(or $(SIZES),100 1000 10000) --out BENCHMARKS.json --chart BENCHMARKS.svg --timeout 28800
	$(BIN)/python -m devtools.bench_report BENCHMARKS.json
