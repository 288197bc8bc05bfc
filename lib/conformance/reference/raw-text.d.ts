// The reference diagrams are read as text by the tests through Vite's `?raw` imports.
declare module "*.mmd?raw" {
  const text: string;
  export default text;
}
