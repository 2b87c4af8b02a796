export function App() {
  return (
    <main>
      <h1>Sourcebook</h1>
      <p>Answers from your own notes, with their sources.</p>
    </main>
  );
}
