# The two commands of the README: `make site` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: site test validate lint golden clean setup browser-deps

setup: $(STAMP)

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

site: $(STAMP)  ## validate, write the datasets, build the site into site/
	$(BIN)/python build_site.py build

validate: $(STAMP)
	$(BIN)/python build_site.py validate

test: $(STAMP) browser-deps  ## run every test (the browser tests drive Debian's chromium)
	$(BIN)/python -m pytest

# Debian's chromium for the browser tests; Playwright never downloads a browser of its own.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check congkhai tests build_site.py
	$(BIN)/ruff format --check congkhai tests build_site.py
	$(BIN)/mypy congkhai

golden: $(STAMP)  ## regenerate golden files after a deliberate change; review the diff
	$(BIN)/python -m tests.golden
	$(BIN)/python -m tests.test_opendata
	$(BIN)/python -m tests.test_compliance

clean:
	rm -rf site .site-* .pytest_cache

# ---- CI: every workflow step (.github/workflows/, .gitlab-ci.yml) is one of these targets, so
# what CI does runs locally too, e.g. `make ci-validate BASE=main`.
BASE        ?= origin/main
SUMMARY     ?= $(or $(GITHUB_STEP_SUMMARY),/dev/stdout)
IMPORT_DIR  ?= build/import
RELEASE_DIR ?= build/release
GIT_BOT     := -c user.name='github-actions[bot]' -c user.email='41898282+github-actions[bot]@users.noreply.github.com'

.PHONY: ci-validate ci-summary ci-import ci-import-commit release-assets publish-release

# Annotate the plans changed since BASE (all plans when data/ or schemas/ changed, or none did;
# CHANGED="a.md b.md" to choose); fail on errors and on files left in inbox/. GitHub shows only 10
# annotations per kind per step, so the whole report goes to the job summary as well.
ci-validate: $(STAMP)
	@files='$(CHANGED)'; \
	if [ -z "$$files" ] && git rev-parse -q --verify '$(BASE)' >/dev/null && git diff --quiet '$(BASE)...HEAD' -- data schemas; then \
	  files=$$(git diff --name-only --diff-filter=d '$(BASE)...HEAD' -- 'docs/plans/*.md' | tr '\n' ' '); fi; \
	since=; if git rev-parse -q --verify '$(BASE)' >/dev/null; then since="--since $(BASE)"; fi; \
	status=0; $(BIN)/python build_site.py validate $$files $$since --format github || status=$$?; \
	pending=$$(find inbox -type f ! -name README.md ! -name '.*' 2>/dev/null | LC_ALL=C sort); \
	if [ -n "$$pending" ]; then status=1; printf '%s\n' "$$pending" | while IFS= read -r f; do \
	  echo "::error file=$$(printf '%s' "$$f" | sed 's/%/%25/g; s/,/%2C/g; s/:/%3A/g'),title=inbox::Tệp vẫn nằm trong inbox/: chờ quy trình nhập tạo bản nháp kế hoạch, rồi xóa tệp này trước khi hợp nhất."; done; fi; \
	{ echo '## Kết quả kiểm tra'; echo; \
	  if [ -n "$$files" ]; then echo "Các tệp được kiểm tra: $$files"; else echo 'Đã kiểm tra toàn bộ kế hoạch và bảng tham chiếu.'; fi; echo; \
	  echo '```text'; $(BIN)/python build_site.py validate $$files $$since --format text || true; echo '```'; \
	  if [ -n "$$pending" ]; then echo; echo 'Tệp còn trong `inbox/` (cần xóa trước khi hợp nhất):'; printf '%s\n' "$$pending" | sed 's/.*/- `&`/'; fi; echo; \
	} >> '$(SUMMARY)'; \
	exit $$status

# Plans added / changed / removed since BASE with their metadata and the row-level dataset changes;
# PREVIEW_URL (the uploaded site) is linked when set.
ci-summary: $(STAMP)
	@{ $(BIN)/python build_site.py diff '$(BASE)' HEAD --format markdown; \
	  if [ -n "$${PREVIEW_URL:-}" ]; then echo; echo '## Xem trước'; echo; \
	    echo "Tải [bản dựng thử của trang]($$PREVIEW_URL), giải nén rồi mở \`index.html\` bằng trình duyệt."; fi; \
	} >> '$(SUMMARY)'

# Draft a plan from every file in inbox/ (the importer writes docs/plans/<province>/<id>.md and
# any new catalogue rows); the drafts are copied to IMPORT_DIR/files and shown in the job summary.
# PUSH=1 when the workflow commits them back to the branch (same-repository pull requests).
ci-import: $(STAMP)
	@rm -rf $(IMPORT_DIR); mkdir -p $(IMPORT_DIR)/files; status=0; \
	find inbox -type f ! -name README.md ! -name '.*' | LC_ALL=C sort > $(IMPORT_DIR)/inbox.txt; \
	echo '## Bản nháp kế hoạch từ inbox/' >> '$(SUMMARY)'; \
	while IFS= read -r f; do \
	  if $(BIN)/python build_site.py import "$$f" > $(IMPORT_DIR)/log.txt 2>&1; then \
	    draft=$$(sed -n 's|^Đã viết bản nháp: ||p' $(IMPORT_DIR)/log.txt | head -n 1); \
	    printf '%s\t%s\n' "$$f" "$$(dirname "$${draft#"$$PWD"/}")" >> $(IMPORT_DIR)/imported.txt; \
	    { echo; echo "### Đã nhập \`$$f\`"; } >> '$(SUMMARY)'; \
	  else status=1; echo "::error file=$$(printf '%s' "$$f" | sed 's/%/%25/g; s/,/%2C/g; s/:/%3A/g'),title=import::Không chuyển được tệp này thành bản nháp; xem tóm tắt của quy trình."; \
	    { echo; echo "### Không chuyển được \`$$f\`"; } >> '$(SUMMARY)'; fi; \
	  { echo; echo '```text'; cat $(IMPORT_DIR)/log.txt; echo '```'; } >> '$(SUMMARY)'; \
	done < $(IMPORT_DIR)/inbox.txt; \
	git -c core.quotepath=off ls-files --others --modified --exclude-standard -- docs/plans data > $(IMPORT_DIR)/drafts.txt; \
	while IFS= read -r p; do cp --parents -- "$$p" $(IMPORT_DIR)/files/; \
	  { echo; echo "### \`$$p\`"; echo; echo '````markdown'; cat -- "$$p"; echo '````'; } >> '$(SUMMARY)'; \
	done < $(IMPORT_DIR)/drafts.txt; \
	{ echo; if [ ! -s $(IMPORT_DIR)/drafts.txt ]; then echo 'Chưa có bản nháp nào.'; \
	  elif [ '$(PUSH)' = 1 ]; then echo 'Bản nháp được ghi vào nhánh của yêu cầu này và tệp gốc được chuyển từ `inbox/` sang cạnh bản nháp. Mở tab **Files changed**, sửa bản nháp bằng **Edit file** cho tới khi kiểm tra đạt.'; \
	  else echo 'Yêu cầu này đến từ một bản sao (fork) nên quy trình không ghi được vào nhánh. Tải tệp đính kèm **ban-nhap-ke-hoach** ở cuối trang (hoặc chép nội dung ở trên), tạo tệp đúng đường dẫn trong nhánh của bạn bằng **Add file → Create new file**, rồi xóa tệp trong `inbox/`.'; fi; \
	} >> '$(SUMMARY)'; \
	exit $$status

# Commit the drafts of `make ci-import` (IMPORT_DIR) to the pull request's branch HEAD_REF and
# move each imported original from inbox/ next to its draft (the plan's source_file). Pushed
# with the workflow's token, so no new run starts: the clerk's next edit runs the checks.
ci-import-commit:
	@set -eu; test -s $(IMPORT_DIR)/drafts.txt || { echo 'Không có bản nháp nào để ghi.'; exit 0; }; \
	cp -R $(IMPORT_DIR)/files/. .; \
	while IFS= read -r p; do git add -- "$$p"; done < $(IMPORT_DIR)/drafts.txt; \
	if [ -s $(IMPORT_DIR)/imported.txt ]; then tab=$$(printf '\t'); while IFS="$$tab" read -r f dir; do \
	  if [ -e "$$f" ] && [ -d "$$dir" ]; then git mv -k -- "$$f" "$$dir/"; else git rm -q --ignore-unmatch -- "$$f"; fi; \
	done < $(IMPORT_DIR)/imported.txt; fi; \
	git $(GIT_BOT) commit -q -m 'Bản nháp kế hoạch từ inbox/ (nhập tự động, cần người kiểm tra)'; \
	git push origin "HEAD:refs/heads/$${HEAD_REF:?HEAD_REF is the branch to push to}"

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
	printf 'TAG=%s\nPREV=%s\nSKIP=%s\n' "$$tag" "$$prev" "$$skip" > $(RELEASE_DIR)/release.env; \
	cat $(RELEASE_DIR)/release.env

# Publish RELEASE_DIR as a GitHub release (gh, GH_TOKEN with contents: write) at GITHUB_SHA.
publish-release:
	@set -eu; . ./$(RELEASE_DIR)/release.env; \
	if [ "$$SKIP" = 1 ]; then echo "Dữ liệu không đổi kể từ $$PREV: không phát hành."; exit 0; fi; \
	head -c 120000 $(RELEASE_DIR)/CHANGELOG.md > $(RELEASE_DIR)/notes.md; \
	gh release create "$$TAG" --target "$${GITHUB_SHA:-$$(git rev-parse HEAD)}" --title "Dữ liệu Công khai $$TAG" \
	  --notes-file $(RELEASE_DIR)/notes.md $(RELEASE_DIR)/cong-khai-$$TAG.tar.gz $(RELEASE_DIR)/cong-khai-$$TAG.zip \
	  $(RELEASE_DIR)/SHA256SUMS $(RELEASE_DIR)/CHANGELOG.md

# ---- Benchmarks (issue 6): corpora of SIZES plans, our pipeline against stock mkdocs, Hugo and
# frictionless in the same run, with the determinism, nothing-lost and search-transfer checks on
# the built sites; figures in BENCHMARKS.json and the chart BENCHMARKS.svg, summarised in
# BENCHMARKS.md. The 10k run takes about half an hour on 2 cores: `make bench SIZES=1000` for less.
.PHONY: bench
bench: $(STAMP) browser-deps
	@command -v hugo >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -qq hugo >/dev/null 2>&1 || echo "hugo unavailable: the Hugo comparison is skipped"; }
	$(BIN)/python -m congkhai.bench $(or $(SIZES),100 1000 10000) --out BENCHMARKS.json --chart BENCHMARKS.svg --timeout 3600
