/** A modal whose body is one form with Cancel + a primary submit button (Enter submits); used by the simple dialogs. */
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
      </form>
    </Modal>
  );
}
