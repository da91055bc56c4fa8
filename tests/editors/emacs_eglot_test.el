;;; emacs_eglot_test.el --- the README's eglot set-up against the real server  -*- lexical-binding: t -*-
;; Not part of CI (Emacs is a large install). Needs Emacs 28+ with eglot and
;; markdown-mode (Debian: apt-get install emacs-nox elpa-eglot elpa-markdown-mode).
;; Usage: DOSSIER=$PWD/target/release/dossier emacs --batch -l tests/editors/emacs_eglot_test.el
(require 'cl-lib)
(require 'eglot)
(require 'markdown-mode)
(let* ((here (file-name-directory (or load-file-name buffer-file-name)))
       (repo (expand-file-name "../.." here))
       (dossier (or (getenv "DOSSIER") (expand-file-name "target/release/dossier" repo)))
       (ws (make-temp-file "dossier-emacs-" t))
       (failed 0)
       (t0 nil))
  (cl-flet ((check (name ok detail)
              (unless ok (setq failed (1+ failed)))
              (princ (format "%s - emacs: %s%s\n" (if ok "ok" "not ok") name
                             (if ok "" (format "  (%s)" detail))))))
    (copy-file (expand-file-name "fixtures/draft.md" here) (expand-file-name "draft.md" ws))
    (let ((default-directory ws)) (call-process "git" nil nil nil "init" "-q"))
    ;; The README's snippet, with the binary's full path and the seeds on disk.
    (add-to-list 'eglot-server-programs
                 `((markdown-mode text-mode) . (,dossier "lsp" "--stdio")))
    (setq-default eglot-workspace-configuration
                  `(:dossier (:corpus [,(expand-file-name "seeds" repo)] :includeDefaultCorpus :json-false)))
    (add-hook 'markdown-mode-hook #'eglot-ensure)
    (setq t0 (float-time))
    (find-file (expand-file-name "draft.md" ws))
    (run-hooks 'post-command-hook)          ; eglot-ensure connects after the command
    (let ((n 0))
      (while (and (< n 400) (not (flymake-diagnostics)))
        (accept-process-output nil 0.05)
        (setq n (1+ n))))
    (princ (format "time: emacs open -> first diagnostics: %.0f ms\n" (* 1000 (- (float-time) t0))))
    (let ((texts (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
      (check "diagnostics with Dossier codes"
             (and texts (cl-every (lambda (s) (string-match-p "\\[[a-z-]+\\]" s)) texts))
             texts))
    ;; Hover after curly quotes, ’ and accented letters (eglot counts UTF-16).
    (goto-char (point-min))
    (search-forward "Müller — then Sean Sp")
    (let* ((info (jsonrpc-request (eglot-current-server) :textDocument/hover
                                  (eglot--TextDocumentPositionParams)))
           (value (plist-get (plist-get info :contents) :value)))
      (check "hover after non-ASCII shows the role"
             (and value (string-match-p "White House Press Secretary" value)) value))
    (princ (format "%d failed\n" failed))
    (kill-emacs (if (= failed 0) 0 1))))
