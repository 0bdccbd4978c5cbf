/** A modal whose body is one form with Cancel + a primary submit button (Enter submits) and an inline error line. */
import type { ReactNode } from 'react';
import { Modal } from './modal';

interface FormModalProps {
  title: string;
  testId: string;
  formId: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  /** Label while the submit is in flight, e.g. "Starting…". */
  busyLabel: string;
  busy: boolean;
  /** The form is incomplete or invalid. */
  disabled: boolean;
  submitTestId: string;
  wide?: boolean;
  /** Shown inline above the buttons (a server refusal keeps the dialog open with what was typed). */
  error?: string | null;
  children: ReactNode;
}

export function FormModal(props: FormModalProps) {
  return (
    <Modal
      title={props.title}
      testId={props.testId}
      onClose={props.onClose}
      wide={props.wide}
      footer={
        <>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" form={props.formId} className="primary" disabled={props.disabled || props.busy} data-testid={props.submitTestId}>
            {props.busy ? props.busyLabel : props.submitLabel}
          </button>
        </>
      }
    >
      <form
        id={props.formId}
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        {props.children}
        {props.error ? (
          <p className="form-error dialog-error" role="alert" data-testid="dialog-error">
            {props.error}
          </p>
        ) : null}
      </form>
    </Modal>
  );
}
