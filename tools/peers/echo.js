// The least a worker can do per task: answer the message it was sent.
onmessage = ({ data }) => postMessage(data);
