// The DevTools page dispatches this on the panel's window when DevTools shows or hides the panel.
export const VISIBILITY_EVENT = "loopback-lab:visibility";

export interface VisibilityDetail {
  shown: boolean;
}
