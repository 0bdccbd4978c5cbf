/** "?" overlay listing every keyboard shortcut and the current class keys. */
import type { ClassInfo } from '../../../shared/domain';
import { SHORTCUT_HELP } from '../state/use-shortcuts';
import { Modal } from './modal';

export function HelpOverlay({ classes, onClose }: { classes: ClassInfo[]; onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" testId="help-overlay" onClose={onClose} wide>
      <div className="help-columns">
        <table className="plain-table help-table">
          <tbody>
            {SHORTCUT_HELP.map((s) => (
              <tr key={s.keys}>
                <td className="help-keys">
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <h3>Class keys</h3>
          {classes.length === 0 ? <p className="muted">No classes in this dataset yet.</p> : null}
          <ul className="help-classes">
            {classes.slice(0, 9).map((c, i) => (
              <li key={c.id}>
                <kbd>{i + 1}</kbd> {c.name}
              </li>
            ))}
          </ul>
          {classes.length > 9 ? <p className="muted small">Classes after the 9th: use the Label menu in the detail panel.</p> : null}
          <p className="muted small">Keys act on the selection when there is one, otherwise on the focused sample. Shortcuts pause while you type in a field.</p>
        </div>
      </div>
    </Modal>
  );
}
