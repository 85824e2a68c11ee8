;;; eglot.el --- drive Emacs + Eglot against `powerwords lsp' -*- lexical-binding: t -*-

;; Run as: emacs -Q --batch -l tests/editors/eglot.el
;; Environment: POWERWORDS_CONFIG (the README's Emacs snippet, with this checkout's server
;; command), POWERWORDS_DOC (the Markdown file to open), POWERWORDS_RESULT (where to write what
;; the editor saw, as JSON, for tests/test_editor_emacs.py to check), POWERWORDS_TYPED_LINE (a
;; line to type at the end).
;;
;; Written for Debian's Eglot 1.9 and Emacs 28, and goes through the paths a user reaches: the
;; README's set-up (an `eglot-server-programs' entry and `eglot-ensure' on `markdown-mode-hook'),
;; diagnostics as Flymake holds them, Eglot's hover function for ElDoc, `completion-at-point'
;; with a `completion-in-region-function' standing in for the completion UI, and
;; `eglot-code-actions' with `completing-read' answered by the script.  Every step is guarded and
;; the script always ends with `kill-emacs'.

(require 'package)
(require 'json)
(require 'cl-lib)
;; -Q skips site-lisp: find Debian's elpa-eglot and elpa-markdown-mode ourselves.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)

(defconst pw-timeout 10.0 "Seconds to wait for any one thing.")
(defvar pw-result nil "Alist of step name to what the step saw.")
(defvar pw-steps nil "Step names in the order they ran.")
(defvar pw-ms nil "Alist of step name to the milliseconds it took.")
(defvar pw-buffer nil "The Markdown buffer under test.")

(defun pw-wait (what pred &optional poke)
  "Let Emacs run (process output, timers) until PRED returns non-nil; fail naming WHAT.
POKE, if given, is called before each check."
  (let ((deadline (+ (float-time) pw-timeout)))
    (while (progn (when poke (funcall poke)) (not (funcall pred)))
      (when (> (float-time) deadline)
        (error "Timed out after %ss waiting for %s" pw-timeout what))
      (accept-process-output nil 0.05))))

(defun pw-write ()
  "Write what was seen so far, so the steps that ran stay on record if Emacs is killed."
  (let ((json-encoding-pretty-print nil)
        (coding-system-for-write 'utf-8))
    (condition-case err
        (with-temp-file (getenv "POWERWORDS_RESULT")
          (insert (json-encode
                   (append (list (cons 'steps (vconcat (mapcar #'symbol-name pw-steps)))
                                 (cons 'ms pw-ms))
                           pw-result))))
      (error (message "cannot write the result: %s" (error-message-string err))))))

(defmacro pw-step (name &rest body)
  "Run BODY as step NAME; keep its value, or its error, in `pw-result'."
  (declare (indent 1))
  `(let ((started (float-time)))
     (setq pw-steps (append pw-steps (list ,name)))
     (push (cons ,name
                 (condition-case err
                     (progn ,@body)
                   (error (list (cons 'error (error-message-string err))))))
           pw-result)
     (push (cons ,name (round (* 1000 (- (float-time) started)))) pw-ms)
     (pw-write)))

(defun pw-goto (needle &optional offset)
  "Move point to NEEDLE (plus OFFSET characters) in the buffer, or fail."
  (goto-char (point-min))
  (unless (search-forward needle nil t)
    (error "Text not in buffer: %s" needle))
  (goto-char (+ (match-beginning 0) (or offset 0))))

(defun pw-line ()
  "The current line's text."
  (buffer-substring-no-properties (line-beginning-position) (line-end-position)))

(defun pw-lsp-diag (diag)
  "The LSP Diagnostic plist Eglot keeps inside a Flymake diagnostic."
  (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))))

(defun pw-idle ()
  "Act as if the user paused: run the idle timers, which a batch Emacs never reaches on its own.
Eglot sends didChange from one (after `eglot-send-changes-idle-time'), Flymake starts from one."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun pw-flymake-diagnostics ()
  "Ask Flymake to run its backends (Eglot's reports what the server pushed), then list them."
  (flymake-start)
  (flymake-diagnostics))

(defun pw-run ()
  "All the steps, in order."
  (let ((doc (getenv "POWERWORDS_DOC")))

    (pw-step 'start
      (load (getenv "POWERWORDS_CONFIG") nil t)
      (setq pw-buffer (find-file doc))
      (switch-to-buffer pw-buffer)
      ;; eglot-ensure connects from post-command-hook, after the command that opened the file.
      (run-hooks 'post-command-hook)
      (pw-wait "Eglot to connect" (lambda () (eglot-current-server)))
      (let ((server (eglot-current-server)))
        (pw-wait "initialize" (lambda () (eglot--capabilities server)))
        (list (cons 'emacs emacs-version)
              (cons 'eglot (package-version-join
                            (package-desc-version (cadr (assq 'eglot package-alist)))))
              (cons 'major_mode (symbol-name major-mode))
              (cons 'command (vconcat (process-command (jsonrpc--process server))))
              (cons 'language_id (eglot--language-id server))
              (cons 'hover (if (eglot--server-capable :hoverProvider) t :json-false))
              (cons 'completion (if (eglot--server-capable :completionProvider) t :json-false))
              (cons 'code_action (if (eglot--server-capable :codeActionProvider) t :json-false)))))

    (pw-step 'diagnostics
      (pw-wait "Flymake diagnostics" #'pw-flymake-diagnostics)
      (vconcat
       (mapcar (lambda (d)
                 (let ((lsp (pw-lsp-diag d))
                       (beg (flymake-diagnostic-beg d))
                       (end (flymake-diagnostic-end d)))
                   (list (cons 'code (plist-get lsp :code))
                         (cons 'source (plist-get lsp :source))
                         (cons 'type (symbol-name (flymake-diagnostic-type d)))
                         (cons 'text (flymake-diagnostic-text d))
                         (cons 'line (1- (line-number-at-pos beg)))
                         (cons 'text_in_range (buffer-substring-no-properties beg end)))))
               (flymake-diagnostics))))

    (pw-step 'hover
      ;; Two emoji before the word are 2 Emacs characters but 4 UTF-16 units: hovering its first
      ;; and its last letter only both land on it if Eglot and the server agree on the position
      ;; encoding.
      (cl-loop for (name . offset) in `((first_letter . 0)
                                        (last_letter . ,(1- (length "hallucinated"))))
               collect
               (let (hover)
                 (pw-goto "hallucinated" offset)
                 (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover (or info ""))))
                 (pw-wait (format "the hover on the %s" name) (lambda () hover))
                 (cons name (substring-no-properties hover)))))

    (pw-step 'completion
      (pw-goto "Next we fine-tu" (length "Next we fine-tu"))
      (let (candidates)
        (let ((completion-in-region-function
               ;; A completion UI's part: list the candidates, insert the chosen one, and
               ;; call the exit function, which applies the server's text edit.
               (lambda (start end collection predicate)
                 (let* ((prefix (buffer-substring-no-properties start end))
                        (all (all-completions prefix collection predicate))
                        (choice (car (member "fine-tuning" all)))
                        (exit (plist-get completion-extra-properties :exit-function)))
                   (setq candidates (mapcar #'substring-no-properties all))
                   (when choice
                     (delete-region start end)
                     (goto-char start)
                     (insert choice)
                     (when exit (funcall exit choice 'finished)))
                   t))))
          (completion-at-point))
        (unless candidates
          (error "completion-at-point offered nothing"))
        (list (cons 'candidates (vconcat candidates))
              (cons 'line_after (pw-line)))))

    (pw-step 'code_action
      (pw-goto "During inference" (length "During i"))
      (let ((line (line-number-at-pos))
            titles)
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt collection &rest _)
                     (setq titles (mapcar #'car collection))
                     (or (car (member "Replace with 'training'" titles))
                         (error "No \"Replace with 'training'\" among %S" titles)))))
          ;; A keyboard event, so Eglot asks with completing-read rather than a popup menu.
          (let ((last-nonmenu-event ?\r))
            (call-interactively #'eglot-code-actions)))
        (goto-char (point-min))
        (forward-line (1- line))
        (list (cons 'titles (vconcat titles))
              (cons 'line_after (pw-line)))))

    (pw-step 'typing
      ;; Type a new misuse at the end.  The edits so far went to the server as didChange too:
      ;; once the new line's diagnostic arrives, the set reflects the whole edited text.
      (goto-char (point-max))
      (insert "\n" (getenv "POWERWORDS_TYPED_LINE") "\n")
      (let ((line (1- (line-number-at-pos (- (point-max) 1)))))
        (pw-wait "a diagnostic on the typed line"
                 (lambda ()
                   (cl-find-if (lambda (d) (= (1- (line-number-at-pos (flymake-diagnostic-beg d)))
                                              line))
                               (pw-flymake-diagnostics)))
                 #'pw-idle)
        (list (cons 'text (buffer-substring-no-properties (point-min) (point-max)))
              (cons 'diagnostics
                    (vconcat
                     (mapcar (lambda (d)
                               (let ((beg (flymake-diagnostic-beg d)))
                                 (list (cons 'code (plist-get (pw-lsp-diag d) :code))
                                       (cons 'lnum (1- (line-number-at-pos beg)))
                                       (cons 'col (save-excursion
                                                    (goto-char beg)
                                                    (current-column))))))
                             (flymake-diagnostics)))))))))

(defun pw-finish ()
  "Write the result, shut the server down politely (shutdown, exit), and quit."
  (ignore-errors
    (with-current-buffer pw-buffer
      (push (cons 'server_stderr
                  (with-current-buffer (jsonrpc-stderr-buffer (eglot-current-server))
                    (buffer-substring-no-properties (point-min) (point-max))))
            pw-result)))
  (pw-write)
  (ignore-errors
    (when (buffer-live-p pw-buffer)
      (with-current-buffer pw-buffer
        (set-buffer-modified-p nil)
        (when (eglot-current-server)
          (eglot-shutdown (eglot-current-server) nil 5))))))

(condition-case err
    (pw-run)
  (error (push (cons 'error (error-message-string err)) pw-result)))
(pw-finish)
(kill-emacs 0)
