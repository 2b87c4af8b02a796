// A part of the window that fails to render shows why in its own place; the rest stays usable. A
// boundary starts over when its resetKey changes (another conversation, another note). React logs
// what it caught to the console.
import { Component, type ReactNode } from "react";
import { useT } from "../i18n/index.js";

interface Props {
  children: ReactNode;
  /** What is shown instead; `retry` renders the children again. */
  fallback(error: Error, retry: () => void): ReactNode;
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(cause: unknown): Partial<State> {
    return { error: cause instanceof Error ? cause : new Error(String(cause)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return Object.is(props.resetKey, state.resetKey) ? null : { error: null, resetKey: props.resetKey };
  }

  private readonly retry = () => this.setState({ error: null });

  override render(): ReactNode {
    return this.state.error ? this.props.fallback(this.state.error, this.retry) : this.props.children;
  }
}

/** The card in place of what failed: a message, a note in the preview, or a whole view. */
export function RenderError({ kind, error, retry }: { kind: "message" | "note" | "view"; error: Error; retry?: () => void }): ReactNode {
  const t = useT();
  return (
    <section className="chat-error render-error" role="alert" data-testid="render-error">
      <h3>{t(`renderError.${kind}Title`)}</h3>
      <p>{t(`renderError.${kind}`)}</p>
      <p className="render-error-detail">{error.message}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          {t("renderError.retry")}
        </button>
      )}
    </section>
  );
}
