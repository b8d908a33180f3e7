import type { CrispDataValue } from "@crisp-data/core";
import { useCrispData } from "@crisp-data/react";
import { type ComponentProps, type FormEvent, useId, useState } from "react";
import { describeIssues } from "../issues";
import { applyEdit, type DemoUser, formatValue, toCrispUser } from "../users";

type TextFieldProps = Omit<ComponentProps<"input">, "onChange" | "value"> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
};

/** A labelled text input of the editor's form (no autocomplete: keys and values are the user's own). */
function TextField({ label, onChange, ...input }: TextFieldProps) {
  return (
    <label>
      {label}
      <input {...input} onChange={(event) => onChange(event.target.value)} autoComplete="off" />
    </label>
  );
}

/** The signed-in part of the app: the user's custom data, which `useCrispData` keeps in Crisp's session. */
export function CustomDataEditor({ user }: { user: DemoUser }) {
  const [data, setData] = useState<Record<string, CrispDataValue>>(() => ({ ...user.data }));
  const { error } = useCrispData(data, { user: toCrispUser(user) });
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const ids = useId();
  const badKeys = new Set(error?.issues.map((issue) => issue.key));
  const problems = describeIssues(error);
  // An empty value deletes the key (Crisp's rule): say so before it happens, not with a blank row afterwards.
  const deletes = key.trim() !== "" && value === "";

  const save = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return;
    setData((current) => applyEdit(current, trimmed, value));
    setKey("");
    setValue("");
  };

  const remove = (name: string) =>
    setData((current) => {
      const { [name]: _removed, ...rest } = current;
      return rest;
    });

  return (
    <section className="card" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Custom data</h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(data).map(([name, current]) => (
            <tr key={name} className={badKeys.has(name) ? "invalid" : undefined}>
              <td>
                <code>{name}</code>
              </td>
              <td>{formatValue(current)}</td>
              <td>
                <button type="button" className="link" aria-label={`Delete ${name}`} onClick={() => remove(name)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="editor" onSubmit={save}>
        <TextField
          label="Key"
          name="key"
          value={key}
          onChange={setKey}
          placeholder="plan"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${ids}-error` : undefined}
        />
        <TextField
          label="Value"
          name="value"
          value={value}
          onChange={setValue}
          placeholder="enterprise"
          aria-describedby={`${ids}-value-hint`}
        />
        <button type="submit" className={deletes ? "danger" : undefined}>
          {deletes ? "Delete key" : "Save"}
        </button>
        <p id={`${ids}-value-hint`} className="hint" data-testid="value-hint">
          {deletes ? (
            <>
              An empty value (<code>""</code>) deletes <code>{key.trim()}</code>.
            </>
          ) : (
            <>
              <code>""</code> (an empty value) deletes the key.
            </>
          )}
        </p>
        {error && (
          <div id={`${ids}-error`} className="error" role="alert">
            {problems.map((problem) => (
              <p key={problem}>{problem}</p>
            ))}
          </div>
        )}
      </form>
      <p className="muted">
        Saving an existing key changes its value; <code>true</code>/<code>false</code> and plain numbers are sent as
        booleans and numbers.
      </p>
    </section>
  );
}
